"""Union-find with cannot-links: the one clustering both identities and stories use.

Joins are offered in a fixed order (strongest first, then by the members' content keys), and a
join is refused when a cannot-link pair would end up inside one cluster. Because the order and
the keys come from the content and never from the order the articles arrived in, the clusters
are the same for any input order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable


class Clusters:
    """Disjoint sets of hashable, sortable keys; each set's representative is its smallest key."""

    def __init__(self, keys: Iterable[Hashable]) -> None:
        self._parent = {k: k for k in keys}
        self._members = {k: [k] for k in self._parent}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._parent

    def find(self, key: Hashable) -> Hashable:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def members(self, key: Hashable) -> list:
        """The members of key's set, in no particular order."""
        return self._members[self.find(key)]

    def join(self, a: Hashable, b: Hashable, clash: Callable[[list, list], bool] | None = None) -> bool:
        """Put a and b in one set unless `clash(root_a, root_b)` says they cannot be."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if clash is not None and clash(ra, rb):
            return False
        keep, gone = sorted((ra, rb))
        self._parent[gone] = keep
        self._members[keep].extend(self._members.pop(gone))
        return True

    def groups(self) -> list[list]:
        return sorted(sorted(m) for m in self._members.values())
