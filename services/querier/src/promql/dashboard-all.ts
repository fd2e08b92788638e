import type { Matcher } from '@o2/promql';

/**
 * A dashboard variable set to "All" is substituted as the sentinel (`ZO_DASHBOARD_PLACEHOLDER`,
 * `_o2_all_`), e.g. `{k8s_namespace_name=~"_o2_all_"}`; as in SQL (`@o2/search`), a label matcher
 * naming it is no filter. Returns the matchers to apply: `=`/`=~` matchers naming the sentinel
 * (alone, or as one `|` alternative of a regex) are dropped; a `!=`/`!~` one matches nothing, so
 * the answer is undefined. The metric name matcher is never touched; an empty placeholder turns
 * this off.
 */
export function withoutDashboardAll(
  matchers: readonly Matcher[],
  placeholder: string,
): readonly Matcher[] | undefined {
  if (placeholder === '') return matchers;
  const names = (m: Matcher): boolean =>
    m.name !== '__name__' &&
    (m.value === placeholder ||
      ((m.type === '=~' || m.type === '!~') && m.value.split('|').includes(placeholder)));
  const kept: Matcher[] = [];
  for (const m of matchers) {
    if (!names(m)) kept.push(m);
    else if (m.type === '!=' || m.type === '!~') return undefined;
  }
  return kept;
}
