"""Lean records: ``@record(frozen=True)`` in place of ``@dataclass(frozen=True)`` where the CLI's
start-up path reads them (the config, the morning queue's count queries).

Importing ``dataclasses`` (it brings ``inspect``, ``ast``, ``dis``, ``tokenize``) and building each
dataclass (six generated methods, a signature for its docstring) cost ``tuicrm due --count`` about
25 ms of its 90 on the 2-core server, where the counts themselves take 30. A record generates only
its ``__init__`` (as fast as a dataclass's); equality, hashing, ``repr`` and ``replace`` are
shared functions over the field names.

Type checkers see the real ``dataclasses`` names, so every record is checked as a dataclass.
Supported: fields with or without defaults, ``field(default=...)`` and
``field(default_factory=...)``, ``frozen``, ``__post_init__``; not inheritance between records,
``ClassVar`` fields, ``order``, ``slots`` or ``kw_only`` (a record that needs them stays a dataclass).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own costs 3 ms to import; type checkers treat the name as True

if TYPE_CHECKING:
    from dataclasses import dataclass as record
    from dataclasses import field as field
    from dataclasses import replace as replace
else:
    _MISSING = object()

    class FrozenRecordError(AttributeError):
        """Setting or deleting a field of a frozen record (a dataclass's FrozenInstanceError)."""

    class _Field:
        __slots__ = ("default", "default_factory")

        def __init__(self, default, default_factory):
            self.default = default
            self.default_factory = default_factory

    def field(*, default=_MISSING, default_factory=_MISSING):
        """A field's default (``default``) or a function making a fresh one (``default_factory``)."""
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot give both default and default_factory")
        return _Field(default, default_factory)

    def record(cls=None, /, *, frozen=False):
        """The class with a generated ``__init__`` over its annotated fields (as a dataclass)."""

        def wrap(cls):
            return _build(cls, frozen)

        return wrap if cls is None else wrap(cls)

    def replace(obj, /, **changes):
        """A copy of the record ``obj`` with ``changes`` (``dataclasses.replace``, which it calls
        for a dataclass)."""
        names = getattr(type(obj), "__record_fields__", None)
        if names is None:
            import dataclasses

            return dataclasses.replace(obj, **changes)
        for name in changes:
            if name not in names:
                raise TypeError(f"{type(obj).__name__} has no field {name!r}")
        return type(obj)(**{name: changes.get(name, getattr(obj, name)) for name in names})

    def _build(cls, frozen):
        annotations = cls.__dict__.get("__annotations__", {})
        names = tuple(annotations)
        if any("ClassVar" in str(annotations[name]) for name in names):
            raise TypeError(f"{cls.__name__}: a record has no ClassVar fields")
        if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
            raise TypeError(f"{cls.__name__}: a record cannot inherit from a record")
        params, lines, space = [], [], {"_set": object.__setattr__, "_F": _MISSING}
        for name in names:
            value = cls.__dict__.get(name, _MISSING)
            if isinstance(value, _Field):
                if value.default_factory is not _MISSING:
                    space[f"_make_{name}"] = value.default_factory
                    params.append(f"{name}=_F")
                    lines.append(f"  if {name} is _F: {name} = _make_{name}()")
                    delattr(cls, name)
                    value = _MISSING
                else:
                    value = value.default
                    setattr(cls, name, value)
                    space[f"_d_{name}"] = value
                    params.append(f"{name}=_d_{name}")
            elif value is not _MISSING:
                space[f"_d_{name}"] = value
                params.append(f"{name}=_d_{name}")
            else:
                if params and "=" in params[-1]:
                    raise TypeError(f"{cls.__name__}: non-default field {name!r} follows a default one")
                params.append(name)
        setter = "_set(self, {0!r}, {0})" if frozen else "self.{0} = {0}"
        lines += ["  " + setter.format(name) for name in names]
        if hasattr(cls, "__post_init__"):
            lines.append("  self.__post_init__()")
        source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines or ["  pass"]) + "\n"
        exec(source, space)
        init = space["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = init
        cls.__record_fields__ = names
        cls.__eq__ = _eq
        cls.__repr__ = _repr
        if frozen:
            cls.__setattr__ = _refuse_set
            cls.__delattr__ = _refuse_delete
            cls.__hash__ = _hash
        else:
            cls.__hash__ = None
        return cls

    def _values(self):
        return tuple(getattr(self, name) for name in self.__record_fields__)

    def _eq(self, other):
        if other.__class__ is self.__class__:
            return _values(self) == _values(other)
        return NotImplemented

    def _hash(self):
        return hash(_values(self))

    def _repr(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
        return f"{type(self).__qualname__}({inner})"

    def _refuse_set(self, name, value):
        raise FrozenRecordError(f"cannot assign to field {name!r}")

    def _refuse_delete(self, name):
        raise FrozenRecordError(f"cannot delete field {name!r}")


def is_record(value: object) -> bool:
    """Whether ``value`` is a record instance (not a record class)."""
    return hasattr(type(value), "__record_fields__") and not isinstance(value, type)


def record_fields(value: object) -> tuple[str, ...]:
    """The field names of a record instance or class, in order."""
    names: tuple[str, ...] = (value if isinstance(value, type) else type(value)).__record_fields__  # type: ignore[attr-defined]
    return names
