"""Fitted models written before matching left capability_list (issue #16) can still be loaded.

A fitted model is a pickle (matching/engine/engine.py writes it, MEDIA_ROOT/matching/model-N.pickle)
and names its classes by module: the ones written before the move say capability_list.matching.engine,
.vectors and .documents. Until a rebuild writes the active model again (the nightly one does, or an
operator's from the match table), every rematch loads that file; without this, each would fail
with ModuleNotFoundError and saving a scenario or an entry would not update its matches for up to
a day. MatchingConfig.ready() registers a finder that answers those old module names with
stand-ins reading from matching.engine.*: nothing else changes, the engine's modules stay as they
are, and the engine is still imported only when a pickle (or a task) needs it.

Remove it, and its registration, once every installation has rebuilt its matches after the move.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import types

OLD, NEW = "capability_list.matching", "matching.engine"


class _StandIn(importlib.abc.Loader):
    """A module under the old name whose attributes are those of the module under the new one."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        target = self.target

        def __getattr__(name):
            if name.startswith("__"):  # the import system's own (__path__ …) stay the stand-in's
                raise AttributeError(name)
            return getattr(importlib.import_module(target), name)

        module = types.ModuleType(spec.name)
        module.__getattr__ = __getattr__
        return module

    def exec_module(self, module):
        pass


class _OldEngineNames(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != OLD and not name.startswith(OLD + "."):
            return None
        # The old package itself is a package (the pickles name modules inside it).
        return importlib.util.spec_from_loader(name, _StandIn(NEW + name[len(OLD) :]), is_package=name == OLD)


def register() -> None:
    if not any(isinstance(finder, _OldEngineNames) for finder in sys.meta_path):
        sys.meta_path.append(_OldEngineNames())
