from tests.extract.helpers import plan_of


def clauses(text):
    return [(a.units, a.lead_count, text[a.span[0]:a.span[1]]) for a in plan_of(text).assignments]


def test_bracketed_clause_keeps_units_with_parentheses_whole():
    text = "推进建设。〔责任单位:市工业和信息化局、市发展改革委,各县(市、区)人民政府、市属开发区管委会等〕"
    [(units, lead, quote)] = clauses(text)
    assert units == ["市工业和信息化局", "市发展改革委", "各县(市、区)人民政府", "市属开发区管委会"]
    assert quote.startswith("〔") and quote.endswith("〕") and lead == 1


def test_lead_and_support_labels_are_kept_apart():
    text = "推进建设。（牵头单位：县交通运输局、县公安局；配合单位：县发展改革局、县公共交通有限公司）"
    [(units, lead, _)] = clauses(text)
    assert units == ["县交通运输局", "县公安局", "县发展改革局", "县公共交通有限公司"] and lead == 2


def test_role_words():
    text = "推进建设。（市工业和信息化局牵头，市科技局、市市场监管局配合，各区（县）人民政府负责）"
    [(units, lead, _)] = clauses(text)
    assert units == ["市工业和信息化局", "市科技局", "市市场监管局", "各区（县）人民政府"] and lead == 1


def test_fengong_fuze_and_bare_lines():
    text = ("推进建设。（市农业农村局、市商务局分工负责）\n\n"
            "推进改造。\n牵头单位：县住房城乡建设局；配合单位：县自然资源局、国网禾湾县供电公司\n")
    got = clauses(text)
    assert got[0][0] == ["市农业农村局", "市商务局"]
    assert got[1][0] == ["县住房城乡建设局", "县自然资源局", "国网禾湾县供电公司"]
    assert got[1][2].startswith("牵头单位")


def test_unclosed_clause_ends_at_the_line():
    text = "推进建设。〔责任单位:市发展改革委、市财政局\n\n二、保障措施\n"
    [(units, _, quote)] = clauses(text)
    assert units == ["市发展改革委", "市财政局"] and quote.endswith("市财政局")


def test_parenthetical_that_names_no_office_is_no_clause():
    assert clauses("加快城市信息模型（CIM）平台建设（试点先行，逐步推开）。") == []


def test_task_table_row_is_one_assignment_and_takes_its_deadline_year():
    text = ("序号\t重点任务\t目标任务\t牵头单位\t配合单位\t完成时限\n"
            "1\t推进5G网络建设\t新建5G基站1200个\t市工业和信息化局\t中国电信某分公司、中国移动某分公司\t2024年12月底前\n"
            "2\t加强网络安全\t每年组织攻防演练不少于1次\t市委网信办\t市公安局\t长期坚持\n")
    plan = plan_of(text)
    assert [a.units for a in plan.assignments] == [
        ["市工业和信息化局", "中国电信某分公司", "中国移动某分公司"], ["市委网信办", "市公安局"]]
    assert [(t.value, t.year) for t in plan.targets] == [(1200, 2024), (1, None)]


def test_role_words_inside_a_labelled_clause():
    text = "推进建设。（责任单位：省能源局牵头，省交通运输厅、各市（州）人民政府按职责分工负责）"
    [(units, lead, _)] = clauses(text)
    assert units == ["省能源局", "省交通运输厅", "各市（州）人民政府"] and lead == 1
