"""The messages of validate.py, in Korean and English (registered in grader.i18n on import)."""

from grader.i18n import register

register({
    "validate_no_title": {"ko": "제목에 '{lang}'(이) 없습니다", "en": "title has no '{lang}'"},
    "validate_no_statement": {"ko": "statement.{lang}.md가 없거나 비어 있습니다", "en": "statement.{lang}.md is missing or empty"},
    "validate_few_hints": {"ko": "힌트가 {n}개입니다. 적어도 2개가 필요합니다", "en": "{n} {n|hint|hints}; at least 2 are needed"},
    "validate_hint_missing": {"ko": "힌트 {i}에 {langs}(이) 없습니다", "en": "hint {i} has no {langs}"},
    "validate_no_stub": {"ko": "stub 파일 {file}(이) 없습니다", "en": "stub {file} is missing"},
    "validate_no_reference": {"ko": "solutions/에 정답 코드가 없습니다", "en": "no reference solution in solutions/"},
    "validate_no_reference_short": {"ko": "정답 코드가 없습니다", "en": "no reference solution"},
    "validate_error": {"ko": "{error}", "en": "{error}"},
    "validate_no_hidden": {"ko": "solutions/에 숨겨진 검사가 없습니다", "en": "no hidden checks in solutions/"},
    "validate_check_no_title": {"ko": "검사 {check}에 {langs} 제목이 없습니다", "en": "check {check} has no title in {langs}"},
    "validate_points_differ": {
        "ko": "검사 점수의 합은 {total:g}점인데 exercise.toml에는 {points:g}점으로 적혀 있습니다",
        "en": "checks add up to {total:g} points, exercise.toml says {points:g}",
    },
    "validate_unreadable": {"ko": "{file}: {error}", "en": "{file}: {error}"},
    "validate_quiz_top_key": {
        "ko": "{where}:{line}: 알 수 없는 키 '{key}' ([[questions]] 표만 쓸 수 있습니다)",
        "en": "{where}:{line}: unknown key '{key}' (only [[questions]] tables)",
    },
    "validate_question_key": {
        "ko": "{where}:{line}: 문항 {n}: 알 수 없는 키 '{key}'{hint}",
        "en": "{where}:{line}: question {n}: unknown key '{key}'{hint}",
    },
    "validate_unstable": {
        "ko": "시드마다 점수가 다릅니다: {scores}. 같은 파일은 어느 --seed에서나 같은 점수를 받아야 합니다",
        "en": "the score depends on the seed: {scores}. The same file must get the same score at every --seed",
    },
    "validate_did_you_mean": {"ko": " (혹시 '{name}'인가요?)", "en": " (did you mean '{name}'?)"},
    "validate_choice_key": {
        "ko": "{where}: 문항 {n}: 선택지에 알 수 없는 키 '{key}'(이) 있습니다 (쓸 수 있는 키: {keys})",
        "en": "{where}: question {n}: a choice has the unknown key '{key}' (keys: {keys})",
    },
    "validate_placeholder_title": {"ko": "제목({lang})에 아직 {text}(이) 남아 있습니다", "en": "title ({lang}) still says {text}"},
    "validate_placeholder_statement": {
        "ko": "statement.{lang}.md에 아직 {text}(이) 남아 있습니다", "en": "statement.{lang}.md still says {text}",
    },
    "validate_placeholder_hint": {"ko": "힌트 {i}({lang})에 아직 {text}(이) 남아 있습니다", "en": "hint {i} ({lang}) still says {text}"},
    "validate_placeholder_file": {"ko": "{file}에 아직 {text}(이) 남아 있습니다", "en": "{file} still says {text}"},
    "validate_placeholder_sample": {"ko": "예시 제출물 {file}에 아직 {text}(이) 남아 있습니다", "en": "sample {file} still says {text}"},
    "validate_placeholder_stub": {"ko": "stub {file}에 아직 {text}(이) 남아 있습니다", "en": "stub {file} still says {text}"},
    "validate_placeholder_reference": {
        "ko": "정답 코드가 아직 `grade new`가 만든 그대로입니다 (NotImplementedError를 일으킵니다)",
        "en": "the reference solution is still the scaffold's (raises NotImplementedError)",
    },
    "validate_no_samples": {
        "ko": "예시 제출물이 없습니다: {where}/ {state} (wrong_* 예시가 적어도 {min}개, correct_* 예시가 1개 필요합니다. "
              "`grade new`가 하나씩 만들어 줍니다)",
        "en": "no sample submissions: {where}/ {state} (at least {min} wrong_* and 1 correct_* are needed; "
              "`grade new` writes one of each)",
    },
    "validate_samples_folder_empty": {"ko": "폴더에 correct_*나 wrong_* 파일이 없습니다", "en": "has no correct_* or wrong_* file"},
    "validate_samples_folder_missing": {"ko": "폴더가 없습니다", "en": "is missing"},
    "validate_few_wrong": {
        "ko": "{where}/에 wrong_* 예시가 {n}개입니다. 적어도 {min}개가 필요합니다",
        "en": "{n} wrong_* samples in {where}/; at least {min} are needed",
    },
    "validate_no_correct": {"ko": "{where}/에 correct_* 예시가 없습니다", "en": "no correct_* sample in {where}/"},
    "validate_no_lock": {
        "ko": "stub의 지문({lock})이 없어 제자리 채점에서 손대지 않은 함수를 알아볼 수 없습니다. `grade validate --fix`를 실행하세요",
        "en": "no fingerprints of the stub ({lock}): in-place grading cannot tell untouched functions; run `grade validate --fix`",
    },
    "validate_lock_other_file": {
        "ko": "{lock}(은) {locked}의 지문인데 stub은 {file}입니다. `grade validate --fix`를 실행하세요",
        "en": "{lock} is for {locked}, the stub is {file}; run `grade validate --fix`",
    },
    "validate_stub_changed": {
        "ko": "stub이 {lock}의 지문과 다릅니다 ({names}). 일부러 stub을 고쳤다면 `grade validate --fix`를 실행하고, "
              "아니라면 되돌리세요 (`git diff`로 바뀐 곳을 볼 수 있습니다)",
        "en": "the stub differs from its fingerprints in {lock} ({names}): if you changed the stub on purpose run "
              "`grade validate --fix`, otherwise restore it (`git diff` shows what changed)",
    },
    "validate_check_raised": {
        "ko": "{exercise}: 검사 {check}에서 오류가 났습니다: {error}", "en": "{exercise}: check {check} raised {error}",
    },
    "validate_reference_is_stub": {
        "ko": "정답 코드를 아직 쓰지 않았습니다: stub의 지문과 같습니다",
        "en": "reference not written yet: it equals the stub's fingerprints",
    },
    "validate_reference_unwritten": {
        "ko": "정답 코드를 아직 쓰지 않았습니다 (여전히 NotImplementedError를 일으키거나 stub과 같습니다)",
        "en": "reference not written yet (it still raises NotImplementedError or equals the stub)",
    },
    "validate_reference_only_apart": {
        "ko": "정답 코드가 solutions/에서는 만점이지만 stub 자리에 붙여 넣으면 만점이 아닙니다: {failures}",
        "en": "the reference scores full marks from solutions/ but not pasted in place over the stub: {failures}",
    },
    "validate_reference_not_full": {"ko": "정답 코드가 만점을 받지 못합니다: {failures}", "en": "reference does not score full marks: {failures}"},
    "validate_stub_scores": {
        "ko": "손대지 않은 stub은 0점이어야 하고 모든 검사가 '시도 안 함'이어야 합니다: {checks}",
        "en": "stub should score 0 with every check 'not attempted': {checks}",
    },
    "validate_correct_fails": {"ko": "올바른 예시 제출물이 통과하지 못합니다: {failures}", "en": "correct submission fails: {failures}"},
    "validate_wrong_passes": {"ko": "틀린 예시 제출물이 모든 검사를 통과합니다", "en": "wrong submission passes every check"},
    "validate_unknown_expected": {
        "ko": "expect-fail에 없는 검사 이름이 있습니다: {names}", "en": "expect-fail names unknown checks: {names}",
    },
    "validate_expected_fail_passed": {
        "ko": "{names}에서 실패해야 하는데 통과했습니다", "en": "expected to fail {names}, which passed",
    },
    "validate_message_missing": {
        "ko": "실패한 검사 중 {text}(이)라고 말하는 것이 없습니다", "en": "no failing check says {text}",
    },
    "validate_no_checks": {"ko": "검사가 없습니다", "en": "no checks"},
})
