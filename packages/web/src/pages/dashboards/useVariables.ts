import { useEffect, useMemo, useState } from 'react';
import type { SetURLSearchParams } from 'react-router';
import type { DashboardV8, Variable } from '@o2/dashboards';
import { api } from '../../api/endpoints';
import { valuesFilter } from '../../panels/variables';
import type { VariableValue } from '../../panels/variables';

export interface VariablesState {
  list: Variable[];
  /** Options per variable (query_values: the field's values over the range; custom: its list). */
  options: ReadonlyMap<string, string[]>;
  values: ReadonlyMap<string, VariableValue>;
  loading: boolean;
  set: (name: string, value: VariableValue) => void;
}

const nameOf = (v: Variable) => v.name ?? '';

/**
 * The dashboard's variables and their current values. Values live in the URL as `var-<name>`
 * (repeated for multi-values, `_o2_all_` for All; UI-SPEC §7.5); with none there, a multi-select
 * starts at All, a single select at its first option, a constant/textbox at its stored value.
 */
export function useVariables(
  org: string,
  dashboard: DashboardV8 | undefined,
  params: URLSearchParams,
  setParams: SetURLSearchParams,
  range: { start: number; end: number },
  placeholder: string,
): VariablesState {
  const list = useMemo(() => dashboard?.variables?.list ?? [], [dashboard]);
  const [options, setOptions] = useState<ReadonlyMap<string, string[]>>(new Map());
  const [loading, setLoading] = useState(false);
  const listKey = JSON.stringify(list);
  // The values the filters read: a parent's change reloads its children's options.
  const [parents, setParents] = useState<ReadonlyMap<string, VariableValue>>(new Map());
  const parentsKey = JSON.stringify([...parents]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    void Promise.all(
      list.map(async (v): Promise<[string, string[]]> => {
        if (v.type === 'custom') return [nameOf(v), (v.options ?? []).map((o) => o.value ?? '')];
        const q = v.query_data;
        if (v.type !== 'query_values' || !q?.stream || !q.field) return [nameOf(v), []];
        try {
          const filter = valuesFilter(q.filter ?? [], parents, placeholder);
          const answer = await api.values(
            org,
            q.stream,
            q.field,
            range,
            q.stream_type ?? 'logs',
            q.max_record_size ?? 10,
            filter,
          );
          const hit = answer.hits.find((h) => h.field === q.field) ?? answer.hits[0];
          return [nameOf(v), (hit?.values ?? []).map((x) => String(x.zo_sql_key)).sort()];
        } catch {
          return [nameOf(v), []];
        }
      }),
    ).then((entries) => {
      if (!current) return;
      setOptions(new Map(entries));
      setLoading(false);
    });
    return () => {
      current = false;
    };
    // Options reload when the variables or the range change.
  }, [org, listKey, range.start, range.end, parentsKey]);

  const values = useMemo(() => {
    const out = new Map<string, VariableValue>();
    for (const v of list) {
      const name = nameOf(v);
      const fromUrl = params.getAll(`var-${name}`);
      if (fromUrl.length > 0) {
        out.set(name, v.multiSelect === true ? fromUrl : fromUrl[0]!);
        continue;
      }
      if (v.type === 'constant' || v.type === 'textbox') {
        out.set(name, typeof v.value === 'string' ? v.value : '');
        continue;
      }
      if (v.multiSelect === true) out.set(name, [placeholder]);
      else out.set(name, options.get(name)?.[0] ?? (typeof v.value === 'string' ? v.value : ''));
    }
    return out;
  }, [list, params, options, placeholder]);

  const valuesKey = JSON.stringify([...values]);
  useEffect(() => setParents(values), [valuesKey]);

  const set = (name: string, value: VariableValue) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete(`var-${name}`);
      for (const v of typeof value === 'string' ? [value] : value) next.append(`var-${name}`, v);
      return next;
    });

  return { list, options, values, loading, set };
}
