"""Limits every YAML reader of veikart holds a file to, checked on the parsed node graph before
any value is built: a file of a few kilobytes whose aliases expand to billions of values (an
"alias bomb"), an alias to a value that contains it, or values nested hundreds of levels deep is
refused with the place, quickly, instead of taking minutes and gigabytes.

`GuardedLoader` goes first among a loader's bases (`class L(GuardedLoader, yaml.CSafeLoader)`).
It can also note keys written twice in one mapping (`duplicates`, for readers where the last
one wins, as in Open SDG) instead of leaving them silent.
"""

from __future__ import annotations

from typing import Any

import yaml

from veikart.i18n import N_, _, fmt_number

__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_EXPANDED", "GuardedLoader", "YamlLimit"]

#: Alias uses (*name) one file may hold; packages need none.
MAX_ALIASES = 1000
#: Values the aliases of one file may add to it when expanded.
MAX_EXPANDED = 100_000
#: How deep values may be nested.
MAX_DEPTH = 100


class YamlLimit(yaml.MarkedYAMLError):
    """A file beyond one of the limits; `problem` and `hint` are translated, `problem_mark` is
    its place."""

    def __init__(self, problem: str, hint: str, mark: Any):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


_ALIAS_HINT = N_("write the values out instead of using anchors (&name) and aliases (*name)")


def check_node(root: yaml.Node) -> None:
    """Raise YamlLimit if the graph under `root` breaks a limit. Linear in the number of
    distinct nodes: an alias's expansion is counted, never built."""
    size: dict[int, int] = {}
    seen = {id(root)}
    on_path: set[int] = set()
    edges = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_EXPANDED + len(seen):
                raise YamlLimit(
                    _("the aliases (*name) here expand to more than {limit} values; such a file is refused").format(
                        limit=fmt_number(MAX_EXPANDED)
                    ),
                    _(_ALIAS_HINT),
                    node.start_mark,
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlLimit(_("an alias (*name) refers to a value that contains it"), _(_ALIAS_HINT), node.start_mark)
        on_path.add(key)
        if len(on_path) > MAX_DEPTH:
            raise YamlLimit(
                _("values are nested more than {limit} levels deep").format(limit=fmt_number(MAX_DEPTH)),
                _("write the values less deeply nested"),
                node.start_mark,
            )
        stack.append((node, True))
        for child in reversed(_children(node)):
            edges += 1
            if id(child) in seen:
                if edges - (len(seen) - 1) > MAX_ALIASES:
                    raise YamlLimit(
                        _("more than {limit} aliases (*name) in one file; such a file is refused").format(
                            limit=fmt_number(MAX_ALIASES)
                        ),
                        _(_ALIAS_HINT),
                        child.start_mark,
                    )
            else:
                seen.add(id(child))
            if id(child) not in size:
                stack.append((child, False))


class GuardedLoader:
    """Checks the limits on the whole document before constructing it. With `note_duplicates`
    set, a key written twice in one mapping is noted in `duplicates` (key, mark of its second
    writing); the loader's own rule for it then applies."""

    note_duplicates = False

    def get_single_data(self) -> Any:
        node = self.get_single_node()  # type: ignore[attr-defined]  # a mixin: the loader after it has it
        if node is None:
            return None
        check_node(node)
        if self.note_duplicates:
            self.duplicates: list[tuple[Any, Any]] = []
            self._note(node)
        return self.construct_document(node)  # type: ignore[attr-defined]  # as above

    def _note(self, root: yaml.Node) -> None:
        done: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in done:
                continue
            done.add(id(node))
            if isinstance(node, yaml.MappingNode):
                keys: set[Any] = set()
                for key_node, _value in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        if key_node.value in keys:
                            self.duplicates.append((key_node.value, key_node.start_mark))
                        keys.add(key_node.value)
            stack.extend(_children(node))
