"""A tiny condition language for the rules in data/ (red flags, baselines, advice, causes).

Rules are data, so their conditions are text in CSV files. The text is parsed once at load
time into a small tree and checked against the questions table: an unknown field, an
operator that does not fit the field's type, or a value outside the allowed set is an error.
Nothing here uses ``eval``, ``exec`` or ``DataFrame.query``.

Grammar (``|`` binds loosest)::

    condition := "always" | or
    or        := and ("|" and)*
    and       := unary ("&" unary)*
    unary     := "!" unary | "(" or ")" | "@" NAME | atom
    atom      := FIELD OP VALUE | FIELD "in" "{" VALUE ("," VALUE)* "}"
    OP        := "=" | "!=" | "<" | "<=" | ">" | ">="
    VALUE     := "true" | "false" | INTEGER | WORD | "?"

Unknown is not no. A comparison on an unanswered field is *false* — ``!=`` included — so a
rule never fires on an answer the person did not give. To act on a missing answer, say so:
``pregnant=?`` is true exactly when ``pregnant`` is unanswered, and ``!(age>55)`` is true
when age is unanswered or at most 55. ``@name`` refers to a named term (data/terms.csv).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import ConditionError

Answers = Mapping[str, Any]
MISSING = "?"

_TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|!=|=|<|>)|(?P<punct>[&|!(){},@])|(?P<word>[A-Za-z0-9_?-]+))")


class FieldSpec(Protocol):
    """What the parser needs to know about a question field."""

    # Read-only properties, so a frozen Question (whose fields cannot be set) fits the protocol.
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "integer", "boolean" or "choice"
    @property
    def choices(self) -> tuple[str, ...]: ...
    @property
    def minimum(self) -> int | None: ...
    @property
    def maximum(self) -> int | None: ...


_ABSENT = object()  # never equal to, or a member of, any allowed value


class Node:
    """A parsed condition. Subclasses are small frozen dataclasses.

    Each node compiles itself once into a closure (``test``) and caches the fields it reads:
    explain() runs thousands of these per call when it tries "what if" answers, so the
    per-test cost matters more than the one-off cost of building the tree.
    """

    test: Callable[[Answers], bool]

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", self._compile())
        object.__setattr__(self, "_fields", self._collect_fields())

    def _compile(self) -> Callable[[Answers], bool]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _collect_fields(self) -> frozenset[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields(self) -> frozenset[str]:
        """The answer fields this condition reads."""
        return self._fields  # type: ignore[attr-defined, no-any-return]

    def because(self, answers: Answers) -> set[str]:
        """The fields whose answers (or absence) made this condition true."""
        return set(self.fields())

    def words(self, label: Callable[[str, str], str]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Always(Node):
    def _compile(self) -> Callable[[Answers], bool]:
        return lambda answers: True

    def _collect_fields(self) -> frozenset[str]:
        return frozenset()

    def words(self, label: Callable[[str, str], str]) -> str:
        return "always"


@dataclass(frozen=True)
class Missing(Node):
    field: str

    def _compile(self) -> Callable[[Answers], bool]:
        field = self.field
        return lambda answers: field not in answers

    def _collect_fields(self) -> frozenset[str]:
        return frozenset((self.field,))

    def words(self, label: Callable[[str, str], str]) -> str:
        return f"{label(self.field, '')} not answered"


@dataclass(frozen=True)
class Compare(Node):
    field: str
    op: str
    value: Any

    def _compile(self) -> Callable[[Answers], bool]:
        field, value = self.field, self.value
        if self.op == "=":
            # An absent answer is never equal to an allowed value: unknown is not no.
            return lambda answers: answers.get(field, _ABSENT) == value
        compare = _OPERATORS[self.op]
        return lambda answers: field in answers and compare(answers[field], value)

    def _collect_fields(self) -> frozenset[str]:
        return frozenset((self.field,))

    def words(self, label: Callable[[str, str], str]) -> str:
        if self.op in ("=", "!="):
            text = label(self.field, _literal(self.value))
            return text if self.op == "=" else f"not ({text})"
        return f"{label(self.field, '')} {self.op} {self.value}"


@dataclass(frozen=True)
class In(Node):
    field: str
    values: frozenset[Any]

    def _compile(self) -> Callable[[Answers], bool]:
        field, values = self.field, self.values
        return lambda answers: answers.get(field, _ABSENT) in values

    def _collect_fields(self) -> frozenset[str]:
        return frozenset((self.field,))

    def words(self, label: Callable[[str, str], str]) -> str:
        options = sorted(self.values, key=str)
        return " or ".join(label(self.field, _literal(value)) for value in options)


@dataclass(frozen=True)
class Not(Node):
    inner: Node

    def _compile(self) -> Callable[[Answers], bool]:
        inner = self.inner.test
        return lambda answers: not inner(answers)

    def _collect_fields(self) -> frozenset[str]:
        return self.inner.fields()

    def words(self, label: Callable[[str, str], str]) -> str:
        return f"not ({self.inner.words(label)})"


@dataclass(frozen=True)
class All(Node):
    parts: tuple[Node, ...]

    def _compile(self) -> Callable[[Answers], bool]:
        tests = tuple(part.test for part in self.parts)

        def test(answers: Answers) -> bool:
            for part in tests:  # noqa: SIM110 - a plain loop skips a generator per call (hot path)
                if not part(answers):
                    return False
            return True

        return test

    def _collect_fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def because(self, answers: Answers) -> set[str]:
        return set().union(*(part.because(answers) for part in self.parts))

    def words(self, label: Callable[[str, str], str]) -> str:
        return " and ".join(_group(part, label) for part in self.parts)


@dataclass(frozen=True)
class Any_(Node):
    parts: tuple[Node, ...]

    def _compile(self) -> Callable[[Answers], bool]:
        tests = tuple(part.test for part in self.parts)

        def test(answers: Answers) -> bool:
            for part in tests:  # noqa: SIM110 - a plain loop skips a generator per call (hot path)
                if part(answers):
                    return True
            return False

        return test

    def _collect_fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def because(self, answers: Answers) -> set[str]:
        # Only the branches that are true explain why the whole is true.
        return set().union(*(p.because(answers) for p in self.parts if p.test(answers)))

    def words(self, label: Callable[[str, str], str]) -> str:
        return " or ".join(_group(part, label) for part in self.parts)


@dataclass(frozen=True)
class Term(Node):
    """A named term kept as a node so it can be shown by name in words."""

    name: str
    inner: Node

    def _compile(self) -> Callable[[Answers], bool]:
        return self.inner.test

    def _collect_fields(self) -> frozenset[str]:
        return self.inner.fields()

    def because(self, answers: Answers) -> set[str]:
        return self.inner.because(answers)

    def words(self, label: Callable[[str, str], str]) -> str:
        return self.name.replace("_", " ")


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _group(node: Node, label: Callable[[str, str], str]) -> str:
    text = node.words(label)
    # An "in" with several values reads as "a or b": bracket it inside "and", like any "or".
    several = isinstance(node, In) and len(node.values) > 1
    return f"({text})" if isinstance(node, (All, Any_)) or several else text


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse(
    text: str,
    fields: Mapping[str, FieldSpec],
    terms: Mapping[str, Node] | None = None,
) -> Node:
    """Parse ``text`` into a condition tree checked against ``fields``.

    Raises ConditionError with a message a data editor can act on.

    Parsed trees are shared: every language and region of a knowledge base has the same condition
    text over the same fields (only the questions' words differ), so the explorer's first switch
    to a language re-used to spend a third of its time here. A tree is reused only when every
    field it reads has the same kind, choices and range, and every term it names is the very same
    tree, so a reused tree is exactly the one parsing would give. Errors are never memoised.
    """
    terms = terms or {}
    for node, specs, named in _PARSED.get(text, ()):
        if _same_specs(specs, fields) and all(terms.get(name) is term for name, term in named):
            return node
    node = _Parser(text, fields, terms).parse()
    specs = tuple((name, _spec_key(fields[name])) for name in sorted(node.fields()))
    _PARSED.setdefault(text, []).append((node, specs, tuple((term.name, term.inner) for term in _terms(node))))
    return node


_SpecKey = tuple[str, tuple[str, ...], "int | None", "int | None"]
_PARSED: dict[str, list[tuple[Node, tuple[tuple[str, _SpecKey], ...], tuple[tuple[str, Node], ...]]]] = {}
"""Condition text -> the trees parsed from it, each with what it was checked against."""


def _spec_key(spec: FieldSpec) -> _SpecKey:
    """All the parser reads of a field: its kind, its choices and its range (never its words)."""
    return (spec.kind, tuple(spec.choices), spec.minimum, spec.maximum)


def _same_specs(specs: tuple[tuple[str, _SpecKey], ...], fields: Mapping[str, FieldSpec]) -> bool:
    for name, key in specs:
        spec = fields.get(name)
        if spec is None or _spec_key(spec) != key:
            return False
    return True


def _terms(node: Node) -> list[Term]:
    """The terms a tree names itself (not those inside a term, which the term's own tree holds)."""
    if isinstance(node, Term):
        return [node]
    found: list[Term] = []
    inner = getattr(node, "inner", None)
    for child in (inner,) if isinstance(inner, Node) else getattr(node, "parts", ()):
        found += _terms(child)
    return found


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, FieldSpec], terms: Mapping[str, Node]):
        self.text = text
        self.fields = fields
        self.terms = terms
        self.tokens = self._tokenize(text)
        self.pos = 0

    @staticmethod
    def _tokenize(text: str) -> list[str]:
        tokens: list[str] = []
        pos = 0
        stripped = text.rstrip()
        while pos < len(stripped):
            match = _TOKEN.match(stripped, pos)
            if not match or match.end() == pos:
                raise ConditionError(f"cannot read {stripped[pos:]!r} in condition {text!r}")
            tokens.append(match.group(match.lastgroup or "word"))
            pos = match.end()
        return tokens

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError("condition is empty (write 'always' for a rule that always applies)")
        if self.tokens == ["always"]:
            return Always()
        node = self._or()
        if self.pos != len(self.tokens):
            raise ConditionError(f"unexpected {self.tokens[self.pos]!r} in condition {self.text!r}")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None:
            raise ConditionError(f"condition {self.text!r} ends too soon")
        if expected is not None and token != expected:
            raise ConditionError(f"expected {expected!r} but found {token!r} in condition {self.text!r}")
        self.pos += 1
        return token

    def _or(self) -> Node:
        parts = [self._and()]
        while self._peek() == "|":
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def _and(self) -> Node:
        parts = [self._unary()]
        while self._peek() == "&":
            self._take()
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def _unary(self) -> Node:
        token = self._peek()
        if token == "!":
            self._take()
            return Not(self._unary())
        if token == "(":
            self._take()
            node = self._or()
            self._take(")")
            return node
        if token == "@":
            self._take()
            name = self._take()
            if name not in self.terms:
                known = ", ".join(sorted(self.terms)) or "none defined"
                raise ConditionError(f"unknown term @{name} (known terms: {known})")
            return Term(name, self.terms[name])
        return self._atom()

    def _atom(self) -> Node:
        name = self._take()
        spec = self.fields.get(name)
        if spec is None:
            raise ConditionError(f"unknown field {name!r} in condition {self.text!r}")
        op = self._take()
        if op == "in":
            self._take("{")
            values = [self._value(spec, "=")]
            while self._peek() == ",":
                self._take()
                values.append(self._value(spec, "="))
            self._take("}")
            return In(name, frozenset(values))
        if op not in ("=", "!=", "<", "<=", ">", ">="):
            raise ConditionError(f"expected an operator after {name!r}, found {op!r}")
        if op in ("<", "<=", ">", ">=") and spec.kind != "integer":
            raise ConditionError(f"{op!r} needs a number field; {name!r} is {spec.kind}")
        if self._peek() == MISSING:
            self._take()
            if op != "=":
                raise ConditionError(f"only '{name}=?' can test for a missing answer")
            return Missing(name)
        return Compare(name, op, self._value(spec, op))

    def _value(self, spec: FieldSpec, op: str) -> Any:
        raw = self._take()
        if spec.kind == "boolean":
            if raw not in ("true", "false"):
                raise ConditionError(f"{spec.name} takes true or false, not {raw!r}")
            return raw == "true"
        if spec.kind == "integer":
            if not re.fullmatch(r"-?\d+", raw):
                raise ConditionError(f"{spec.name} takes a whole number, not {raw!r}")
            value = int(raw)
            low, high = spec.minimum, spec.maximum
            # Thresholds may sit one step outside the range (age<12 never fires, but is legal).
            if low is not None and high is not None and not low - 1 <= value <= high + 1:
                raise ConditionError(f"{spec.name} is between {low} and {high}; {value} is out of range")
            return value
        if raw not in spec.choices:
            raise ConditionError(f"{spec.name} takes one of {', '.join(spec.choices)}; not {raw!r}")
        return raw
