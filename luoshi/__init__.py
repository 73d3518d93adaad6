"""luoshi (落实): turn Chinese government action plans into tracked, accountable commitments.

The library stands alone; the command line (`luoshi.cli`) is a thin layer over it::

    from luoshi import read_path, extract
    plan = extract(read_path("plan.txt"))
"""
__version__ = "0.1.0"


def read_path(path, **kwargs):
    from luoshi.read import read_path as _read_path

    return _read_path(path, **kwargs)


def read_bytes(data, **kwargs):
    from luoshi.read import read_bytes as _read_bytes

    return _read_bytes(data, **kwargs)


def extract(document):
    from luoshi.extract import extract as _extract

    return _extract(document)


__all__ = ["__version__", "read_path", "read_bytes", "extract"]
