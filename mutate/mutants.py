"""The mutants of a rule module, enumerated on its syntax tree.

Each mutant is one small change a careless edit could make to a rule, and that a test should notice:

    comparison      <  ↔ <=, <  → >=, == ↔ !=, in ↔ not in, is ↔ is not (and the mirror ones)
    number          an int n → n + 1 and n − 1; a float, or Decimal("…"), ±1 when whole, else ×2 / ÷2
                    (for a Decimal: its exponent ±1, 0.01 → 0.1 / 0.001); module-level constants included
    rounding        ROUND_HALF_UP → ROUND_HALF_EVEN and ROUND_DOWN
    boolean         and ↔ or; one operand of and/or dropped; `not x` → x; True ↔ False; a plain
                    condition (`if entry.lead.is_verified`, `x if flag else y`) negated
    arithmetic      + ↔ −, × ↔ ÷, & ↔ |; max ↔ min
    text            a string compared with (or in a collection compared with, or a module-level
                    collection) changed, so that it no longer matches
    query           `.filter(…)` / `.exclude(…)` dropped from a chain
    statement       `raise` and `continue` removed; a call statement removed; an `if` guard that
                    returns removed; an assignment inside an `if` removed

Docstrings, decorators, annotations and the arguments of gettext calls are left alone. Enumerating
the same file twice gives the same mutants in the same order: a mutant is applied by its number.
"""

import ast
import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

COMPARISONS = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
ARITHMETIC = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
}
ROUNDING = {"ROUND_HALF_UP": ("ROUND_HALF_EVEN", "ROUND_DOWN"), "ROUND_HALF_EVEN": ("ROUND_HALF_UP",)}
SWAPPED_CALLS = {"max": "min", "min": "max"}
QUERY_STEPS = {"filter", "exclude"}
UNTOUCHED_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext", "Message"}


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the project root
    number: int  # position among the file's mutants
    line: int
    end_line: int
    before: str
    after: str
    constants: tuple[str, ...]  # the names a module-level statement assigns (empty inside functions)
    function: str  # qualified name of the enclosing function or class ("" at module level)
    runs: tuple[int, int] = (0, 0)  # the lines whose tests run the mutant, when not its own (a default argument)

    @property
    def change(self) -> str:
        return f"{self.before} → {self.after}"

    @property
    def key(self) -> str:
        """How equivalent.txt names the mutant: file:line: before → after."""
        return f"{self.path}:{self.line}: {self.change}"


def _text(node) -> str:
    if node is None:
        return "(deleted)"
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 90 else text[:87] + "…"


def _number_variants(value):
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1]
    if isinstance(value, float):
        if value == 0:
            return [1.0]
        if value.is_integer():
            return [value + 1, value - 1]
        return [value * 2, value / 2]
    return []


def _decimal_variants(text: str) -> list[str]:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return []
    if not value.is_finite():
        return []
    if value == value.to_integral_value():
        return [str(value + 1), str(value - 1)]
    return [str(value.scaleb(1)), str(value.scaleb(-1))]  # the exponent moves: quantize("0.1") ≠ quantize("0.01")


def _plain_condition(test) -> bool:
    """A condition no other mutant flips (a name, an attribute, a call): it is negated instead."""
    return not isinstance(test, ast.Compare | ast.BoolOp | ast.UnaryOp | ast.Constant)


def _changed_text(value: str) -> str:
    return f"{value}_mutated" if value else "mutated"


class _Collector:
    """Walks the in-scope parts of a module and lists (slot, replacement) pairs in source order.

    A slot is (parent node, field name, index in the field's list or None); a replacement is a
    node, or None for "delete this statement" (a `pass` stands in its place)."""

    def __init__(self, scope):
        self.scope = scope
        self.found = []  # (slot, original node, replacement, constants, function)
        self.constants: tuple[str, ...] = ()
        self.function = ""
        self.runs = (0, 0)

    # -- scope ------------------------------------------------------------------------------------
    def module(self, tree: ast.Module):
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                if self.scope is None or statement.name in self.scope:
                    self._function(statement, statement.name)
            elif isinstance(statement, ast.ClassDef):
                self._class(statement)
            elif isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                names = tuple(name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name))
                if names and all(name.startswith("__") for name in names):
                    continue  # __all__ and the like name things, they hold no rule
                if statement.value is not None and (self.scope is None or set(names) & set(self.scope)):
                    self.constants, self.function = names, ""
                    self._expression(statement.value, (statement, "value", None), module_level=True)
                    self.constants = ()

    def _class(self, node: ast.ClassDef):
        whole = self.scope is None or node.name in self.scope
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                if whole or f"{node.name}.{statement.name}" in self.scope:
                    self._function(statement, f"{node.name}.{statement.name}")

    def _function(self, node, name: str):
        previous, self.function = self.function, name
        arguments = node.args
        # A default is evaluated when the module loads: the tests that run the function's body run it.
        self.runs = (node.body[0].lineno, node.end_lineno)
        for defaults in (arguments.defaults, arguments.kw_defaults):
            for index, default in enumerate(defaults):
                if default is not None:
                    self._expression(
                        default, (arguments, "defaults" if defaults is arguments.defaults else "kw_defaults", index)
                    )
        self.runs = (0, 0)
        body = node.body
        start = (
            1
            if body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
            else 0
        )
        self._statements(node, "body", start)
        self.function = previous

    # -- statements -------------------------------------------------------------------------------
    def _statements(self, parent, field: str, start: int = 0, inside_if: bool = False):
        for index, statement in enumerate(getattr(parent, field)):
            if index < start:
                continue
            self._statement(statement, (parent, field, index), inside_if)

    def _add(self, slot, original, replacement, module_level=False):
        self.found.append(
            (slot, original, replacement, self.constants if module_level else (), self.function, self.runs)
        )

    def _statement(self, node, slot, inside_if: bool):
        if isinstance(node, ast.Raise | ast.Continue | ast.Break):
            self._add(slot, node, None)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            if not self._untouched(node.value):
                self._add(slot, node, None)
        elif (
            isinstance(node, ast.If)
            and node.body
            and isinstance(node.body[-1], ast.Return | ast.Continue)
            and not node.orelse
        ):
            self._add(slot, node, None)
        elif isinstance(node, ast.Assign | ast.AugAssign) and inside_if:
            self._add(slot, node, None)
        if isinstance(node, ast.If | ast.While) and _plain_condition(node.test):
            self._add((node, "test", None), node.test, ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(node.test)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node, f"{self.function}.{node.name}")
            return
        if isinstance(node, ast.ClassDef):
            return
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns", "type_comment", "decorator_list"):
                continue
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self._statements(node, field, inside_if=isinstance(node, ast.If))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.expr):
                        self._expression(item, (node, field, index))
                    elif isinstance(item, ast.AST):
                        self._generic(item)
            elif isinstance(value, ast.expr):
                self._expression(value, (node, field, None))
            elif isinstance(value, ast.AST):
                self._generic(value)

    def _generic(self, node):
        """withitem, comprehension, keyword, excepthandler, match_case …: visit their parts."""
        if isinstance(node, ast.ExceptHandler):
            self._statements(node, "body")
            return
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._statements(node, field)
                    continue
                for index, item in enumerate(value):
                    if isinstance(item, ast.expr):
                        self._expression(item, (node, field, index))
                    elif isinstance(item, ast.AST):
                        self._generic(item)
            elif isinstance(value, ast.expr):
                self._expression(value, (node, field, None))

    # -- expressions ------------------------------------------------------------------------------
    @staticmethod
    def _untouched(call: ast.Call) -> bool:
        name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
        return name in UNTOUCHED_CALLS

    def _expression(self, node, slot, module_level=False, compared=False):
        add = lambda replacement: self._add(slot, node, replacement, module_level)  # noqa: E731
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                for alternative in COMPARISONS.get(type(op), ()):
                    new = copy.deepcopy(node)
                    new.ops[index] = alternative()
                    add(new)
            self._expression(node.left, (node, "left", None), module_level, compared=True)
            for index, item in enumerate(node.comparators):
                self._expression(item, (node, "comparators", index), module_level, compared=True)
            return
        if isinstance(node, ast.BoolOp):
            new = copy.deepcopy(node)
            new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(new)
            for index in range(len(node.values)):
                rest = [copy.deepcopy(value) for position, value in enumerate(node.values) if position != index]
                add(rest[0] if len(rest) == 1 else ast.BoolOp(op=copy.deepcopy(node.op), values=rest))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(copy.deepcopy(node.operand))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            if isinstance(node.operand.value, int | float) and not isinstance(node.operand.value, bool):
                for value in _number_variants(-node.operand.value):
                    add(ast.Constant(value))
                return
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool | int | float):
                for value in _number_variants(node.value):
                    add(ast.Constant(value))
            elif isinstance(node.value, str) and compared:
                add(ast.Constant(_changed_text(node.value)))
            return
        elif isinstance(node, ast.Name) and node.id in ROUNDING:
            for name in ROUNDING[node.id]:
                add(ast.Name(id=name, ctx=ast.Load()))
            return
        elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            new = copy.deepcopy(node)
            new.op = ARITHMETIC[type(node.op)]()
            add(new)
        elif isinstance(node, ast.Call):
            if self._untouched(node):
                return
            if isinstance(node.func, ast.Name) and node.func.id in SWAPPED_CALLS:
                new = copy.deepcopy(node)
                new.func = ast.Name(id=SWAPPED_CALLS[node.func.id], ctx=ast.Load())
                add(new)
            if isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_STEPS:
                add(copy.deepcopy(node.func.value))
            if (
                isinstance(node.func, ast.Name)
                and node.func.id == "Decimal"
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                for text in _decimal_variants(node.args[0].value):
                    new = copy.deepcopy(node)
                    new.args[0] = ast.Constant(text)
                    add(new)
                return
        elif isinstance(node, ast.IfExp) and _plain_condition(node.test):
            new = copy.deepcopy(node)
            new.test = ast.UnaryOp(op=ast.Not(), operand=new.test)
            add(new)
        elif isinstance(node, ast.JoinedStr):
            return
        elif isinstance(node, ast.Dict):
            # Keys name things (a label, a JSON field); the values hold the rule.
            for index, value in enumerate(node.values):
                self._expression(value, (node, "values", index), module_level, compared=compared)
            return
        elif isinstance(node, ast.Lambda):
            self._expression(node.body, (node, "body", None), module_level)
            return
        # The strings of a collection compared with (`kind in ("a", "b")`), or of a module-level one.
        in_collection = (compared or module_level) and isinstance(node, ast.Tuple | ast.List | ast.Set)
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.expr):
                        self._expression(item, (node, field, index), module_level, compared=in_collection)
                    elif isinstance(item, ast.AST):
                        self._generic_expression(item, module_level)
            elif isinstance(value, ast.expr):
                self._expression(value, (node, field, None), module_level)
            elif isinstance(value, ast.AST):
                self._generic_expression(value, module_level)

    def _generic_expression(self, node, module_level):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.expr):
                        self._expression(item, (node, field, index), module_level)
            elif isinstance(value, ast.expr):
                self._expression(value, (node, field, None), module_level)


def _collect(tree, scope):
    collector = _Collector(None if scope is None else set(scope))
    collector.module(tree)
    return collector.found


def mutants_of(root: Path, path: str, scope) -> list[Mutant]:
    tree = ast.parse((root / path).read_text(encoding="utf-8"))
    mutants = []
    for number, (_slot, original, replacement, constants, function, runs) in enumerate(_collect(tree, scope)):
        mutants.append(
            Mutant(
                path=path,
                number=number,
                line=original.lineno,
                end_line=original.end_lineno or original.lineno,
                before=_text(original),
                after=_text(replacement),
                constants=constants,
                function=function,
                runs=runs,
            )
        )
    return mutants


def mutated_code(root: Path, path: str, scope, number: int):
    """The module's code object with mutant `number` applied (compiled under the file's real name)."""
    filename = str(root / path)
    tree = ast.parse((root / path).read_text(encoding="utf-8"), filename=filename)
    (parent, field, index), original, replacement, _constants, _function, _runs = _collect(tree, scope)[number]
    if replacement is None:
        replacement = ast.Pass()
    replacement = ast.copy_location(replacement, original)
    if index is None:
        setattr(parent, field, replacement)
    else:
        getattr(parent, field)[index] = replacement
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec")
