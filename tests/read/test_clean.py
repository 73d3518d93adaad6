from luoshi.read.clean import clean, fold, is_traditional
from luoshi.read.textmap import TextMap


def _clean(text):
    return clean(TextMap.identity(text))


def test_page_break_mid_sentence_is_joined_and_maps_back():
    text = "着力提升新能源汽车充电桩和加氢站、特高压和智能电网、城际高速铁路和城市轨道\n\n交通等融合基础设施建设。\n"
    view = _clean(text)
    i = view.text.index("轨道交通")
    s, e = view.span(i, i + 4)
    assert text[s:e] == "轨道\n\n交通"


def test_headings_and_short_lines_are_not_joined():
    text = "聊城市人民政府\n\n聊政字〔2021〕19号\n\n一、总体要求\n\n(一)指导思想\n\n以习近平新时代中国特色社会主义思想为指导。\n"
    view = _clean(text)
    assert view.text == text


def test_clause_cut_by_page_break_is_joined():
    text = "推进建设。〔责任单位:市工业和信息化局、市发展改革委、市应急局,各县(市、区)人民政府、\n\n市属开发区管委会〕\n\n2. 智慧农业。"
    view = _clean(text)
    assert "人民政府、市属开发区管委会〕" in view.text


def test_repeated_fragment_after_closed_clause_is_dropped():
    clause = "〔责任单位:市科技局、市发展改革委,各县(市、区)人民政府、市属开发区管委会〕"
    text = f"1. 甲任务。推进。{clause}\n\n2. 乙任务。推进。〔责任单位:市科技局〕\n\n委,各县(市、区)人民政府、市属开发区管委会]\n\n3. 丙任务。"
    view = _clean(text)
    assert "委,各县" not in view.text.split("乙任务")[1]
    # The first, genuine clause is untouched.
    assert clause in view.text


def test_page_number_lines_are_dropped():
    text = "第一段的内容写到这里还没有写完整个句子的内容并且\n\n— 3 —\n\n继续写完这句话的剩余部分内容。"
    view = _clean(text)
    assert "— 3 —" not in view.text
    assert "并且继续写完" in view.text


def test_fold_keeps_length_and_unifies_forms():
    s = "（责任单位：市大数据局）〔２０２１〕１９号"
    f = fold(s)
    assert len(f) == len(s)
    assert f == "(责任单位:市大数据局)(2021)19号"


def test_traditional_text_folds_to_simplified():
    s = "到2025年，全省建成5G基站12.5萬個。〔責任單位：省工業和信息化廳、省發展改革委〕" * 3
    assert is_traditional(s)
    f = fold(s)
    assert len(f) == len(s)
    assert "责任单位" in f and "万个" in f
    assert not is_traditional("到2025年，全省建成5G基站12.5万个。〔责任单位：省工业和信息化厅〕")


def test_running_page_headers_are_dropped():
    head = "某市制造业绿色低碳转型行动方案"
    page = "到2026年，规模以上工业单位增加值能耗较2023年下降13%，工业固体废物综合利用率达到92%。\n"
    text = "".join(f"{head}\n{page}\n— {n} —\n\f" for n in range(1, 4))
    view = _clean(text)
    assert head not in view.text and "— 2 —" not in view.text
    assert view.text.count("工业固体废物综合利用率") == 3
