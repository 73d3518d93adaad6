#!/usr/bin/env bash
# The API session shown in docs/api.md, on luoshi's sample plan, in a scratch directory:
#   LUOSHI=.venv/bin/luoshi bash docs/examples/api_session.sh
set -u
L=$(realpath "$(command -v "${LUOSHI:-luoshi}")")
WORK=${WORK:-/tmp/luoshi-api-session}
PORT=${PORT:-8766}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
export LUOSHI_DB=sqlite:///$WORK/l.db
$L demo --dir d --no-serve >/dev/null 2>&1
$L ingest d/sample_plan.txt >/dev/null 2>&1
$L dispatch init >/dev/null
echo '$ echo "$PASSWORD" | luoshi account add gxj --role reporter --unit 市工信局 --name 张三 --password-stdin'
echo 'Gongxin-2024!' | $L account add gxj --role reporter --unit 市工信局 --name 张三 --password-stdin
echo 'Lanzhou-2024' | $L account add office --role coordinator --name 调度办 --password-stdin >/dev/null
echo '$ luoshi serve --port 8000 &'
($L serve --port $PORT > serve.log 2>&1 &)
sleep 4
sed "s/$PORT/8000/g" serve.log
j() { python3 -c "import sys,json; print(json.dumps(json.load(sys.stdin), ensure_ascii=False, indent=1))"; }
echo
echo '$ curl -s -X POST localhost:8000/api/session -H "content-type: application/json" -d '"'"'{"username":"gxj","password":"…"}'"'"
curl -s -X POST localhost:$PORT/api/session -H 'content-type: application/json' -d '{"username":"gxj","password":"Gongxin-2024!"}' > login.json
python3 -c "import json; d=json.load(open('login.json')); d['token']=d['token'][:8]+'…'; d['csrf_token']=d['csrf_token'][:8]+'…'; print(json.dumps(d, ensure_ascii=False))"
T=$(python3 -c "import json; print(json.load(open('login.json'))['token'])")
echo
echo '$ curl -s localhost:8000/api/tasks -H "Authorization: Bearer $TOKEN"   # (first task, abridged)'
curl -s localhost:$PORT/api/tasks -H "Authorization: Bearer $T" | python3 -c "
import sys,json
t=json.load(sys.stdin)[0]; t['targets']=t['targets'][1:2]; print(json.dumps(t, ensure_ascii=False))"
echo
echo '$ curl -s -X POST localhost:8000/api/reports -H "Authorization: Bearer $TOKEN" -H "content-type: application/json" \'
echo "    -d '{\"period\":\"2026-10\",\"lines\":[{\"target_id\":7,\"cumulative\":24.5}]}'"
curl -s -X POST localhost:$PORT/api/reports -H "Authorization: Bearer $T" -H 'content-type: application/json' -d '{"period":"2026-10","lines":[{"target_id":7,"cumulative":24.5}]}' -w '\nHTTP %{http_code}\n'
echo
echo '$ curl -s -X POST localhost:8000/api/reports -H "Authorization: Bearer $TOKEN" -H "content-type: application/json" \'
echo "    -d '{\"period\":\"2026-10\",\"lines\":[{\"target_id\":7,\"cumulative\":24.5,\"delay_reason\":\"…\",\"next_steps\":\"…\"}]}'"
curl -s -X POST localhost:$PORT/api/reports -H "Authorization: Bearer $T" -H 'content-type: application/json' -d '{"period":"2026-10","lines":[{"target_id":7,"cumulative":24.5,"delay_reason":"部分站址审批延后","next_steps":"12月底前完成乡镇补点"}]}' -w '\nHTTP %{http_code}\n'
echo
echo '$ curl -s localhost:8000/api/reports/21/2026-10 -H "Authorization: Bearer $TOKEN"   # another unit'
curl -s localhost:$PORT/api/reports/21/2026-10 -H "Authorization: Bearer $T" -w '\nHTTP %{http_code}\n'
echo
echo '$ curl -s "localhost:8000/api/progress?as_of=2026-10" -H "Authorization: Bearer $TOKEN"   # (the rows on this target)'
curl -s "localhost:$PORT/api/progress?as_of=2026-10" -H "Authorization: Bearer $T" > progress.json
python3 -c "
import json
for r in json.load(open('progress.json')):
    if r['target_id'] == 7 or r['same_as'] == 7:
        print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items() if k not in ('plan_title',)}, ensure_ascii=False))"
pkill -f "luoshi serve --port $PORT"
