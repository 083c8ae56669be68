"""Applying a mutant inside a running process (the forked child that tests it).

The mutated module is executed into a fresh namespace, and what it defines is carried into the
module already loaded: a function keeps its identity and takes the mutated code (so every
`from module import function` elsewhere runs the mutant too), a constant that changed is replaced
in the module and in every project module that imported it under the same name. Only the child
process ever sees the mutant: the source files are never written.
"""

import builtins
import enum
import importlib
import inspect
import sys
import types

# tests too: a test that imported a constant must see the mutant, as the code it tests does
PROJECT_PACKAGES = {
    "tests",
    "accounts",
    "capability_list",
    "config",
    "contests",
    "core",
    "evaluation",
    "matching",
    "scenarios",
    "steering",
}


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _same(current, new) -> bool:
    try:
        return type(current) is type(new) and bool(current == new)
    except Exception:  # numpy arrays, objects without a meaningful ==
        return False


def _patch_function(current, new) -> bool:
    """Give `current` (and what it wraps) the code of `new`; False when the shapes differ."""
    old_inner, new_inner = inspect.unwrap(current), inspect.unwrap(new)
    if not isinstance(old_inner, types.FunctionType) or not isinstance(new_inner, types.FunctionType):
        return False
    if old_inner.__code__.co_freevars != new_inner.__code__.co_freevars:
        return False
    old_inner.__code__ = new_inner.__code__
    old_inner.__defaults__ = new_inner.__defaults__
    old_inner.__kwdefaults__ = new_inner.__kwdefaults__
    if hasattr(current, "cache_clear"):
        current.cache_clear()
    return True


def _patch_class(current: type, new: type) -> None:
    """The methods of a class defined in the module take the mutated code (its instances, made at
    start-up, keep working); an enum or a model class is left as it is."""
    if issubclass(current, enum.Enum) or hasattr(current, "_meta"):
        return
    for name, value in new.__dict__.items():
        old = current.__dict__.get(name)
        if old is None:
            continue
        if isinstance(value, staticmethod | classmethod):
            _patch_function(old.__func__, value.__func__)
        elif isinstance(value, property):
            for accessor in ("fget", "fset", "fdel"):
                if getattr(value, accessor) is not None and getattr(old, accessor) is not None:
                    _patch_function(getattr(old, accessor), getattr(value, accessor))
        elif callable(value) and callable(old):
            _patch_function(old, value)


def _propagate(name: str, current, new) -> None:
    """Replace a constant in the project modules that imported it by name."""
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").split(".")[0] not in PROJECT_PACKAGES:
            continue
        namespace = getattr(loaded, "__dict__", None)
        if namespace is not None and namespace.get(name) is current:
            namespace[name] = new


def apply(path: str, code) -> None:
    """Execute the mutated code of the module at `path` and carry its definitions into the loaded module."""
    module = importlib.import_module(module_name(path))
    namespace = {
        "__name__": module.__name__,
        "__file__": module.__file__,
        "__package__": module.__package__,
        "__spec__": module.__spec__,
        "__loader__": module.__loader__,
        "__builtins__": builtins,
    }
    exec(code, namespace)
    loaded = module.__dict__
    for name, new in namespace.items():
        if name.startswith("__"):
            continue
        if name not in loaded:
            loaded[name] = new
            continue
        current = loaded[name]
        if current is new or isinstance(current, types.ModuleType):
            continue
        if isinstance(current, type):
            if isinstance(new, type) and current.__module__ == module.__name__:
                _patch_class(current, new)
            continue
        if callable(current) and callable(new) and not isinstance(current, type):
            if getattr(inspect.unwrap(current), "__module__", None) == module.__name__ and _patch_function(
                current, new
            ):
                continue
            if getattr(inspect.unwrap(current), "__module__", None) != module.__name__:
                continue  # imported from elsewhere: the same object in both namespaces
        if _same(current, new):
            continue
        loaded[name] = new
        _propagate(name, current, new)


def call(dotted: str) -> None:
    """Call a function named by its dotted path (attributes after the module allowed)."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            target = getattr(target, attribute)
        target()
        return
    raise ImportError(dotted)
