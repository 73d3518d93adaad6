from luoshi.extract import extract
from luoshi.read.document import Document


def plan_of(text: str):
    return extract(Document.plain(text))


def targets_of(text: str):
    return plan_of(text).targets
