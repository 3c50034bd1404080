#!/usr/bin/env bash
# Fails when the translations are not complete:
#   1. any po/*.po listed in po/LINGUAS (or present but not listed) has a format error, a fuzzy
#      or an untranslated message;
#   2. a msgid extracted from the files in po/POTFILES.in is missing from a .po file;
#   3. a file under src/ with translatable strings (_(), N_(), C_(), NC_() or
#      translatable="yes") is not listed in po/POTFILES.in.
# Usage: check-translations.sh SOURCE_ROOT BUILD_ROOT
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_ROOT BUILD_ROOT" >&2
  exit 2
fi
src_root=$(cd "$1" && pwd)
build_root=$2
domain=stompy-connect
status=0

fail () {
  echo "FAIL: $*"
  status=1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# LINGUAS and the .po files present must agree.
linguas=$(sed -e 's/#.*//' "$src_root/po/LINGUAS" | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
present=$(for f in "$src_root"/po/*.po; do
            if [ -e "$f" ]; then basename "$f" .po; fi
          done | sort -u)
if [ "$linguas" != "$present" ]; then
  fail "po/LINGUAS lists [$(echo $linguas)] but po/ has [$(echo $present)]"
fi

# Files listed in POTFILES.in, without comments and blank lines.
sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$src_root/po/POTFILES.in" | sed '/^$/d' > "$tmp/potfiles"
while IFS= read -r f; do
  [ -f "$src_root/$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done < "$tmp/potfiles"

# 3. Every source file with translatable strings is listed. Placeholder files have none.
if [ -d "$src_root/src" ]; then
  (cd "$src_root" &&
     grep -rlE '(^|[^[:alnum:]_])(N|C|NC)?_[[:space:]]*\(|translatable="yes"' src || true) \
    | sort > "$tmp/translatable"
  while IFS= read -r f; do
    grep -qxF "$f" "$tmp/potfiles" || fail "$f has translatable strings but is not in po/POTFILES.in"
  done < "$tmp/translatable"
fi

# 2. Extract the template the same way meson's i18n.gettext (glib preset) does.
if ! xgettext --package-name="$domain" --directory="$src_root" --files-from="$tmp/potfiles" \
       --output="$tmp/$domain.pot" -k_ \
       --from-code=UTF-8 --add-comments \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
       --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
       --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
       --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
       --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
       --flag=g_markup_printf_escaped:1:c-format 2> "$tmp/xgettext.err"; then
  cat "$tmp/xgettext.err"
  fail "xgettext could not extract the strings of po/POTFILES.in"
fi
npot=0
if [ -f "$tmp/$domain.pot" ]; then
  npot=$(msgattrib --no-obsolete "$tmp/$domain.pot" | grep -c '^msgid ' || true)
  npot=$((npot > 0 ? npot - 1 : 0))
fi
echo "template: $npot messages from $(wc -l < "$tmp/potfiles") files"

for lang in $present; do
  po="$src_root/po/$lang.po"

  # 1. Format errors, fuzzy and untranslated messages.
  if ! msgfmt --check --statistics --output-file=/dev/null "$po" 2> "$tmp/stats"; then
    cat "$tmp/stats"
    fail "$lang.po does not compile (msgfmt --check)"
    continue
  fi
  stats=$(grep -E 'translated|fuzzy|untranslated' "$tmp/stats" || true)
  echo "$lang: $stats"
  case "$stats" in
    *fuzzy*) fail "$lang.po has fuzzy messages:"; msgattrib --only-fuzzy --no-obsolete "$po" ;;
  esac
  case "$stats" in
    *untranslated*) fail "$lang.po has untranslated messages:"; msgattrib --untranslated --no-obsolete "$po" ;;
  esac

  # 2. Every msgid of the template is in the .po file (translated, per the checks above).
  if [ -f "$tmp/$domain.pot" ]; then
    if ! msgcmp --use-untranslated --use-fuzzy "$po" "$tmp/$domain.pot" 2> "$tmp/msgcmp"; then
      echo "messages of the sources missing from $lang.po:"
      msgmerge --quiet --no-fuzzy-matching --no-wrap "$po" "$tmp/$domain.pot" \
        | msgattrib --untranslated --no-obsolete --no-wrap | grep '^msgid ' | sed '1d; 40q'
      fail "$lang.po lacks messages of the sources (run: ninja -C BUILD $domain-update-po)"
    fi
  fi
done

# The compiled catalogues are where the tests' STOMPY_LOCALEDIR expects them.
for lang in $present; do
  mo="$build_root/po/$lang/LC_MESSAGES/$domain.mo"
  [ -f "$mo" ] || echo "note: $mo is not built yet"
done

if [ $status -eq 0 ]; then
  echo "ok: translations complete"
fi
exit $status
