"""The one exception the document reader raises for a file it cannot or will not read."""


class DocumentError(Exception):
    """A file that cannot be read as a document.

    ``message`` is one line of Chinese for the person who uploaded the file: what is wrong with it and what to
    do instead. Callers show it as is (the CLI prints it to stderr and exits 2); it never carries a traceback.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
