"""Indicator names: the short noun phrase a target measures, in the text's own words."""
from __future__ import annotations

import re

# Words that open a clause but are not part of what is measured.
_LEAD = re.compile(
    r"(?:[,;:、\s]|和|及|以及|与|并|其中|同时|力争|争取|确保|累计|预计|全面|基本|初步|进一步|努力|分别|对(?!外)|"
    r"以上|以下|以内|左右|[一二三四五六七八九十]是|(?:省级|市级|县级|区级|自治区|省|市|县|区|州|旗|本级)财政|"
    r"全市|全省|全县|全区|全州|全盟|全旗|全自治区|"
    r"每年|年均|每季度|每月|原则上|统筹|安排|推动|实施|加快|支持|鼓励|引导|"
    r"建成|建设|培育|打造|形成|实现|完成|开展|组织|布局|创建|认定|引进|招引|发展|带动|"
    r"新培育|新打造|率先|共|总计|合计|达到|达)+"
)
# Comparator and linking verbs that stand between the indicator and its number.
_TRAIL = re.compile(
    r"(?:[,;:、\s]|分别|累计|要|应|将|均|已|保持|稳定在|达到|达|为|是|有|原则上|从|由|"
    r"提高|提升|降低|下降|(?<!年均)增长|增加|减少|"
    r"不低于|不少于|不小于|至少|不高于|不超过|不多于|不大于|超过|高于|多于|突破|大于|低于|少于|小于|"
    r"控制在|控制|提高到|提升到|提高至|提升至|增长到|增至|增加到|降低到|降至|下降到|压缩至|压缩到|缩短至|"
    r"约|近|大约|左右|以上|力争|争取|确保|新增到|(?<!年均)增长|建成|建设|培育|打造|形成|实现|完成|拥有|"
    r"在|到|至|的)+$"
)
_OBJ_VERB_END = re.compile(
    r"(?:建成|建设|新建|培育|打造|形成|实现|完成|开展|组织|布局|创建|认定|引进|招引|推动|带动|"
    r"支持|扶持|遴选|选树|新增|改造|接入|开放|安排|提供|培养|举办|设立|发放|吸引|征集|储备|抓好|拥有)$"
)
_OBJ_STOP = re.compile(r"[,;。:!?()\n\t]|(?:、|和|及|与)(?=\s*[\d一二两三四五六七八九十])")
_YEAR_PHRASE = re.compile(r"(?:到|至|截至)?\s*(?:19|20)\d{2}\s*年(?:底|末|年底|年末)?(?:前)?")
_YEAR_AT_END = re.compile(r"(?:到|至|截至)?\s*(?:19|20)\d{2}\s*年(?:底|末|年底|年末)?(?:前)?的?$")
MAX_NAME = 40


def strip_bounds(f: str) -> tuple[int, int]:
    """Bounds of the name inside `f` (folded text): leading scope words and trailing verbs off."""
    a, b = 0, len(f)
    while True:
        before = (a, b)
        m = _YEAR_PHRASE.match(f, a, b) or _LEAD.match(f, a, b)
        if m and m.end() > a:
            a = m.end()
        m = _TRAIL.search(f, a, b) or _YEAR_AT_END.search(f, a, b)
        if m and m.start() < b:
            b = m.start()
        if (a, b) == before:
            return a, b


_LOCATIVE = re.compile(r"在[^,;]{1,20}?(?:领域|方面|行业|区域|地区)")
_LISTED_KINDS = re.compile(r"[^,;]*、[^,;]*?等")


def strip_name(s: str, folded: str | None = None) -> str:
    """The indicator inside a phrase. Matching runs on the folded text (simplified, half-width)
    so traditional-script plans name things in their own characters."""
    f = folded if folded is not None else s
    # 在交通等领域落地5G、区块链等数字技术应用场景: the kinds listed before 等 are examples.
    m = _LISTED_KINDS.match(f)
    if m and m.end() < len(f):
        s, f = s[m.end():], f[m.end():]
    m = _LOCATIVE.match(f)
    if m:
        s, f = s[m.end():], f[m.end():]
    a, b = strip_bounds(f)
    s = "".join(s[a:b].split())
    s = s.strip("“”\"'‘’《》「」")
    if s.count("“") != s.count("”"):
        s = s.replace("“", "").replace("”", "")
    return s[-MAX_NAME:]


def object_after(view: str, folded: str) -> str:
    """The noun phrase right after a quantity: `个以上特色鲜明、亮点突出的典型应用场景` → 典型应用场景."""
    m = _OBJ_STOP.search(folded)
    end = m.start() if m else len(folded)
    start = folded.rfind("的", 0, end) + 1
    return strip_name(view[start:end], folded[start:end])


def ends_with_object_verb(pre_folded: str) -> bool:
    return bool(_OBJ_VERB_END.search(pre_folded.strip()))


# Verbs after which the counted thing is named (力争国家在我省布局|重大科技基础设施); 新建/新增 stay
# in names because plans count new and total facilities apart.
# Only verbs that do not end nouns (建设 and 建成 do: 建设资金, 建成区).
_CUT_VERB = re.compile(r"(?:布局|引进|招引|推动|带动|抓好|组织|开展)")


def after_last_verb(pre_folded: str) -> int:
    """Where the name may start in `pre_folded`: after the last verb such as 布局, if a name follows."""
    last = None
    for m in _CUT_VERB.finditer(pre_folded):
        last = m
    if last is None:
        return 0
    a, b = strip_bounds(pre_folded[last.end():])
    return last.end() if b - a >= 3 else 0


def standard_object(view: str, folded: str) -> str:
    """The class a standard applies to: `、上架率高于65%的数据中心建设项目` → 数据中心."""
    stop = re.search(r"[,;。:!?\n\t]", folded)
    end = stop.start() if stop else len(folded)
    k = folded.find("的", 0, end)
    if k < 0:
        return ""
    m = re.match(r"[^、,]*", folded[k + 1:end])
    obj_f = m.group(0)
    cut = re.search(r"(?:建设项目|项目|建设)\s*$", obj_f)
    obj_end = k + 1 + (cut.start() if cut else len(obj_f))
    obj = "".join(view[k + 1:obj_end].split())
    return obj if len(obj) <= 12 else ""
