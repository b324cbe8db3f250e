#!/bin/sh
# What a Directus user does before testing, through Directus's own API on 127.0.0.1:PORT (after
# bench/realapps/directus.sh): one content collection `articles` (id, title, body, published), an
# "Editors" policy (app access, no admin) that may create and read articles, an "Editor" role
# with it, and one editor user whose static token is DIRECTUS_USER_TOKEN. Both tokens come from
# the environment (never written here).
# usage: DIRECTUS_ADMIN_TOKEN=... DIRECTUS_USER_TOKEN=... bench/realapps/directus-setup.sh PORT
set -eu
PORT=$1
: "${DIRECTUS_ADMIN_TOKEN:?}" "${DIRECTUS_USER_TOKEN:?}"
api() { curl -sf -H "Authorization: Bearer $DIRECTUS_ADMIN_TOKEN" -H 'Content-Type: application/json' "http://127.0.0.1:$PORT$1" -d "$2"; }
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])'; }
api /collections '{"collection":"articles","schema":{},"meta":{},"fields":[
  {"field":"id","type":"integer","meta":{"hidden":true},"schema":{"is_primary_key":true,"has_auto_increment":true}},
  {"field":"title","type":"string","schema":{"is_nullable":false}},
  {"field":"body","type":"text"},
  {"field":"published","type":"boolean","schema":{"default_value":false}}]}' >/dev/null
policy=$(api /policies '{"name":"Editors","app_access":true,"admin_access":false}' | id)
for action in create read; do
  api /permissions "{\"policy\":\"$policy\",\"collection\":\"articles\",\"action\":\"$action\",\"fields\":[\"*\"],\"permissions\":{}}" >/dev/null
done
role=$(api /roles "{\"name\":\"Editor\",\"policies\":[{\"policy\":\"$policy\"}]}" | id)
api /users "{\"email\":\"editor@example.com\",\"role\":\"$role\",\"token\":\"$DIRECTUS_USER_TOKEN\"}" >/dev/null
echo "articles, Editors policy, Editor role and editor@example.com created"
