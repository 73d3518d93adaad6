"""County maps (luoshi.web.maps): the bundled index, matching today's counties to the 2018 map's
features, and /maps/{city}.js for signed-in readers only."""
from __future__ import annotations

from luoshi.web.maps import bare, city_index, city_map, match_features

LIAOCHENG = [("371502", "东昌府区"), ("371503", "茌平区"), ("371521", "阳谷县"), ("371522", "莘县"),
             ("371524", "东阿县"), ("371525", "冠县"), ("371526", "高唐县"), ("371581", "临清市")]


def test_the_index_names_each_citys_script_and_counties():
    assert len(city_index()) > 300
    entry = city_map("371500")
    assert entry["map"] == "聊城" and entry["file"].endswith(".js")
    assert {"code": "371523", "name": "茌平县"} in entry["counties"]
    assert city_map("999999") is None and city_map(None) is None


def test_counties_match_by_code_else_by_name_without_suffix():
    features = city_map("371500")["counties"]
    found = match_features(LIAOCHENG, features)
    assert found["371502"] == "东昌府区" and found["371521"] == "阳谷县"  # by code
    assert found["371503"] == "茌平县"  # 茌平县 371523 became 茌平区 371503 in 2019
    assert len(found) == 8 and len(set(found.values())) == 8
    assert bare("茌平区") == bare("茌平县") == "茌平" and bare("临清市") == "临清" and bare("区") == "区"
    # A name the map lacks is left out; two features of one bare name are not guessed between.
    assert match_features([("999901", "新设区")], features) == {}
    twins = [{"code": "1", "name": "城关区"}, {"code": "2", "name": "城关镇"}, {"code": "3", "name": "城关县"}]
    assert match_features([("9", "城关市")], twins) == {}
    # A feature already drawn for its own code is not given to another county by name.
    assert match_features([("371523", "茌平县"), ("371503", "茌平区")], features) == {"371523": "茌平县"}


def test_readers_get_the_script_and_nobody_else(api):
    for who in ("coordinator", "leader"):
        r = api.get("/maps/371500.js", who)
        assert r.status_code == 200, who
        assert 'registerMap("聊城"' in r.text and r.headers["content-type"].startswith("text/javascript")
        assert r.headers["cache-control"] == "private, max-age=2592000"
    for who in ("admin", "auditor", "reporter", "other_reporter"):
        assert api.get("/maps/371500.js", who).status_code == 403, who
    r = api.get("/maps/371500.js", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert api.get("/maps/999999.js", "leader").status_code == 404
    assert api.get("/maps/..%2Fx.js", "leader").status_code == 404
    assert api.get("/maps/abc.js", "leader").status_code == 404
