"""Errors the store raises: each carries one plain sentence for the rep."""


class StoreError(ValueError):
    """Invalid input or a rule that refuses the change; nothing was written."""


class NotFound(StoreError):
    pass


class Ambiguous(StoreError):
    def __init__(self, message: str, candidates: list):
        super().__init__(message)
        self.candidates = candidates
