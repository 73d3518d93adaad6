"""Plan metadata from the document's head: title, issuer, 文号, 成文日期, region, level, period."""
from __future__ import annotations

import re

from luoshi.extract.numbers import cn_to_number
from luoshi.model import Metadata

_GENRE = r"(?:方案|计划|规划|意见|纲要|要点|清单|办法|举措|措施)"
_PERIOD = r"[(（]\s*(?:19|20)\d{2}\s*[-—–~～至]{1,2}\s*(?:19|20)\d{2}\s*年?\s*[)）]"
# The plan's own title: the 《…》 that 现将…印发 hands on, or the notice's 关于印发…的通知.
_BOOK_TITLE = re.compile(rf"(?:现将|将)\s*《(?:关于印发)?\s*(?P<t>[^《》]{{4,80}}?(?:{_GENRE}\s*(?:{_PERIOD})?|{_PERIOD}))\s*(?:的通知)?》"
                         rf"|《(?:关于印发)?\s*(?P<t2>[^《》]{{4,80}}?(?:{_GENRE}\s*(?:{_PERIOD})?|{_PERIOD}))\s*(?:的通知)?》\s*(?:已经|经|现|印发)")
_NOTICE = re.compile(rf"^[ \t《]*(?P<issuer>[^\n《》]{{2,30}}?)?\s*关于印发\s*(?P<t>[^《》]{{4,80}}?(?:{_GENRE}|{_PERIOD}))\s*的通知", re.M)
_TITLE_LINE = re.compile(rf"^\s*(?P<t>[^\n。，,：:；;]{{4,60}}{_GENRE})\s*(?P<p>\n\s*{_PERIOD})?\s*$|^\s*(?P<t2>[^\n。，,：:；;]{{4,60}}{_GENRE}\s*{_PERIOD})\s*$", re.M)
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                   r"|(?P<cy>[二〇零一三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日"
                   r"|(?P<ny>(?:19|20)\d{2})[.\-/](?P<nm>\d{1,2})[.\-/](?P<nd>\d{1,2})")
_ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,20}(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|领导小组|局|厅|委)$")
# Suffixes in both scripts: a traditional-script plan names its 縣 and 區 so.
_REGION = re.compile(r"^(?P<r>[\u4e00-\u9fff]{1,8}?(?:特别行政区|特別行政區|自治区|自治區|自治州|自治县|自治縣|省|市|"
                     r"州(?![市县区縣區])|盟|县|縣|区|區|旗))")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_PERIOD_SENTENCE = re.compile(
    r"(?:实施期限?|规划期|执行期|实施时间)(?:为|是|:)?\s*((?:19|20)\d{2})\s*年?\s*[-—–~～至到]{1,2}\s*((?:19|20)\d{2})\s*年"
    r"|自\s*((?:19|20)\d{2})\s*年[^。]{0,12}?起(?:施行|实施|执行)[^。]{0,10}?有效期至\s*((?:19|20)\d{2})\s*年")
_LABEL_NO = re.compile(r"(?:文\s*号|字\s*号|发文字号)")


def extract_metadata(view: str, folded: str, body_start: int, fields: dict) -> tuple[Metadata, dict]:
    """`view` is the cleaned text and `folded` its folded twin (patterns match there, values are
    cut from `view`); only the head (before `body_start`, the first heading) is read.
    Returns metadata and, per field, view offsets (start, end) of what it was read from."""
    full_folded = folded
    end = body_start if body_start > 0 else min(len(view), 3000)
    tail_f = folded[max(end, len(folded) - 800):]  # a plan without a notice signs at its end
    tail_start = len(folded) - len(tail_f)
    full_view = view
    head, view = folded[:end], view[:end]
    spans: dict[str, tuple[int, int]] = {}
    md = Metadata()

    m = _BOOK_TITLE.search(head)
    g = "t" if m and m.group("t") else "t2"
    if not m:
        m, g = _NOTICE.search(head), "t"
    if m:
        md.title = _squash(view[m.start(g):m.end(g)])
        spans["title"] = m.span(g)
    else:
        for m in _TITLE_LINE.finditer(head):
            t = m.group("t") or m.group("t2")
            if "关于" in t or "通知" in t:
                continue
            md.title = _squash(view[m.start():m.end()])
            spans["title"] = m.span()
    if "ArticleTitle" in fields and not md.title:
        md.title = _notice_to_title(fields["ArticleTitle"][0])

    for line_start, line in _lines(head):
        dm = _DOC_NO.search(line)
        if dm and (len(line.strip()) <= len(dm.group(0)) + 8 or _LABEL_NO.search(line)):
            md.doc_number = _squash(view[line_start + dm.start():line_start + dm.end()])
            spans["doc_number"] = (line_start + dm.start(), line_start + dm.end())
            break
    if not md.doc_number and "文号" in fields:
        md.doc_number = fields["文号"][0].strip() or None

    lines = list(_lines(head))
    md.issued, date_span = _issued(lines, fields, tail_f)
    if date_span:
        spans["issued"] = date_span

    nm = _NOTICE.search(head)
    issuer = _squash(view[nm.start("issuer"):nm.end("issuer")]) if nm and nm.group("issuer") else None
    if issuer and not _ISSUER.match(issuer):
        issuer = None
    if not issuer:
        for k, (line_start, line) in enumerate(lines):
            if _ISSUER.match(line.strip()) and k + 1 < len(lines) and any(
                _DATE.search(l2) for _, l2 in lines[k + 1 : k + 3]
            ):
                issuer = view[line_start:line_start + len(line)].strip()
                break
    if not issuer:
        tail_lines = list(_lines(tail_f))
        for k, (line_start, line) in enumerate(tail_lines):
            if _ISSUER.match(line.strip()) and any(_DATE.search(l2) for _, l2 in tail_lines[k + 1 : k + 3]):
                s0 = tail_start + line_start
                issuer = full_view[s0:s0 + len(line)].strip()
    if not issuer and "发布机构" in fields:
        issuer = fields["发布机构"][0].strip()
    md.region = _region(issuer) or _region(md.title or "")
    md.issuer = issuer or (md.region + "人民政府" if md.region else None)
    md.level = _level(md.region)
    pm = re.search(r"((?:19|20)\d{2})\s*[-—–~～至]{1,2}\s*((?:19|20)\d{2})", md.title or "")
    pm = pm or _PERIOD_SENTENCE.search(full_folded)
    if pm:
        a, b = (g for g in pm.groups() if g)
        md.period = (int(a), int(b))
    return md, spans


def _issued(lines, fields, tail) -> tuple[str | None, tuple[int, int] | None]:
    """成文日期: the date under the issuer's name; else a labelled or 印发 date."""
    if "成文日期" in fields:
        return _iso(fields["成文日期"][0]), None
    standalone, after_issuer, labelled = None, None, None
    for k, (line_start, line) in enumerate(lines):
        s = line.strip()
        dm = _DATE.search(s)
        if not dm:
            continue
        span = (line_start + line.find(dm.group(0)), line_start + line.find(dm.group(0)) + len(dm.group(0)))
        if "成文日期" in s:
            return _iso(dm.group(0)), span
        if len(s) <= len(dm.group(0)) + 6 and "印发" not in s:
            standalone = standalone or (dm.group(0), span)
            if k and any(_ISSUER.match(p.strip()) for _, p in lines[max(0, k - 2):k]):
                after_issuer = after_issuer or (dm.group(0), span)
        elif re.search(r"公布日期|发布日期|印发日期|发文日期", s):
            labelled = labelled or (dm.group(0), span)
    for found in (after_issuer, standalone, labelled):
        if found:
            return _iso(found[0]), found[1]
    tail_lines = list(_lines(tail))
    for k, (_, line) in enumerate(tail_lines):
        s = line.strip()
        dm = _DATE.search(s)
        if dm and len(s) <= len(dm.group(0)) + 6 and (
            "印发" in s or any(_ISSUER.match(p.strip()) for _, p in tail_lines[max(0, k - 2):k])
        ):
            return _iso(dm.group(0)), None
    return None, None


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _squash(s: str) -> str:
    return "".join(s.split())


def _notice_to_title(s: str) -> str:
    m = _NOTICE.search(s)
    return _squash(m.group("t")) if m else _squash(s)


def _iso(s: str) -> str | None:
    m = _DATE.search(s)
    if not m:
        return None
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("ny"):
        y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
    else:
        y = int(cn_to_number(m.group("cy")) or 0)
        mo, d = int(cn_to_number(m.group("cm")) or 0), int(cn_to_number(m.group("cd")) or 0)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _region(s: str | None) -> str | None:
    if not s:
        return None
    m = _REGION.match(s)
    if not m:
        return None
    r = m.group("r")
    return r if len(r) >= 2 else None


def _level(region: str | None) -> str | None:
    if not region:
        return None
    if region.endswith(("省", "自治区", "自治區")) or region in _MUNICIPALITIES:
        return "province"
    if region.endswith(("市", "州", "盟")):
        return "city"
    if region.endswith(("县", "縣", "区", "區", "旗")):
        return "county"
    return None
