"""Who wrote a comment: the customer or an agent, and the agent's signature.

Rules, in order:
1. the ticket's requester is the customer, whatever their role (an agent who files a ticket for
   themselves is the one asking; otherwise agent-filed and test tickets have no customer side);
2. otherwise the author's Zendesk role: ``end-user`` is a customer, ``agent``/``admin`` (and
   custom agent roles) an agent. Roles come from users side-loads, users exports and the
   requester/submitter/assignee/collaborator objects expanded on the ticket;
3. anyone else, whose role is unknown, counts as an agent (the fallback "author is the
   requester => customer, else agent").
"""

from __future__ import annotations

from typing import Any

_CUSTOMER_ROLES = frozenset({"end-user", "end_user", "enduser", "end user"})


def norm_id(value: Any) -> int | str | None:
    """Ids as ints: the API writes 123, audits' field events and legacy exports write "123".

    Anything that is not an int or a string (null, a list in a damaged export) becomes None.
    """
    if type(value) is int:
        return value
    if isinstance(value, str):
        return int(value) if value.isdigit() and value.isascii() else value
    return None


class People:
    """Roles, signatures and names known for the whole import (side-loads and users exports)."""

    __slots__ = ("names", "roles", "signatures")

    def __init__(self) -> None:
        self.roles: dict[Any, str] = {}
        self.signatures: dict[Any, str] = {}
        self.names: dict[Any, str] = {}  # for PII detection: the customer's name in each example's provenance

    def add(self, user: Any) -> None:
        if not isinstance(user, dict):
            return
        uid = norm_id(user.get("id"))
        if uid is None:
            return
        role = user.get("role")
        if isinstance(role, str) and role:
            self.roles[uid] = role.lower()
        signature = user.get("signature")
        if isinstance(signature, str) and signature.strip():
            self.signatures[uid] = signature
        name = user.get("name")
        if isinstance(name, str) and name.strip():
            self.names[uid] = name.strip()

    def add_many(self, users: Any) -> None:
        if isinstance(users, list):
            for user in users:
                self.add(user)

    def __len__(self) -> int:
        return len(self.roles)


class TicketParties:
    """The people of one ticket, resolved against the import-wide ``People``.

    Users expanded on the ticket (requester/submitter/assignee/collaborators) are only looked
    at when a comment needs them: this object is built for every ticket of an import.
    """

    __slots__ = ("requester", "people", "_ticket", "_roles", "_signatures")

    def __init__(self, ticket: dict[str, Any], people: People) -> None:
        self.people = people
        self._ticket = ticket
        self._roles: dict[Any, str] | None = None
        self._signatures: dict[Any, str] = {}
        requester = ticket.get("requester_id")
        if requester is None:
            obj = ticket.get("requester")
            if obj.__class__ is dict:
                requester = obj.get("id")
        self.requester = norm_id(requester)

    def _expanded(self) -> dict[Any, str]:
        roles: dict[Any, str] = {}
        ticket = self._ticket
        collaborators = ticket.get("collaborators")
        objs: Any = (ticket.get("requester"), ticket.get("submitter"), ticket.get("assignee"))
        if collaborators and isinstance(collaborators, list):
            objs = (*objs, *collaborators)
        for obj in objs:
            if obj.__class__ is not dict:
                continue
            uid = obj.get("id")
            if uid is None:
                continue
            if uid.__class__ is not int:
                uid = norm_id(uid)
            role = obj.get("role")
            if role and isinstance(role, str):
                roles[uid] = role.lower()
            signature = obj.get("signature")
            if signature and isinstance(signature, str) and not signature.isspace():
                self._signatures[uid] = signature
        self._roles = roles
        return roles

    def is_customer(self, author_id: Any) -> bool:
        if author_id is None:
            return False
        if author_id == self.requester:
            return True
        roles = self._roles if self._roles is not None else self._expanded()
        role = roles.get(author_id) or self.people.roles.get(author_id)
        if role is not None:
            return role in _CUSTOMER_ROLES
        return False

    def requester_name(self) -> str | None:
        """The requester's name: from the ticket's expanded requester, else the users read."""
        obj = self._ticket.get("requester")
        if obj.__class__ is dict:
            name = obj.get("name")
            if isinstance(name, str) and name.strip():
                return name.strip()
        return self.people.names.get(self.requester) if self.requester is not None else None

    def signature(self, author_id: Any) -> str | None:
        if self._roles is None:
            self._expanded()
        return self._signatures.get(author_id) or self.people.signatures.get(author_id)
