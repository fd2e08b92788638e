import { formatMB } from '../../app/format';
import { formatInZone } from '../../app/time-zone';
import { Drawer } from '../../components/Drawer';
import { profileTotals } from './partition-run';
import type { QueryProfile as Profile } from './partition-run';

interface Props {
  profile: Profile;
  timezone: string;
  onClose: () => void;
}

/**
 * What the last run cost (O2 keeps this enterprise-only): the partition plan, files read and
 * files the token index ruled out, records scanned, and the ms of each stage, summed and per
 * partition; from the search answers' `took_detail`, `scan_*` and `pruned_files`.
 */
export function QueryProfile({ profile, timezone, onClose }: Props) {
  const totals = profileTotals(profile);
  const figures: Array<[string, string, string | number]> = [
    ['partitions', 'Partitions searched', profile.partitions.length],
    ['took', 'Total time (ms)', totals.took],
    ['file-list-took', 'File list, pruning and fetch (ms)', totals.fileListTook],
    ['search-took', 'Search (ms)', totals.searchTook],
    ['files-scanned', 'Files scanned', totals.files],
    ['files-pruned', 'Files pruned (token index)', totals.pruned],
    ['records-scanned', 'Records scanned', totals.records],
    ['scan-size', 'Scan size', formatMB(totals.scanMb)],
    ['matched', 'Records matched', totals.total],
  ];
  if (profile.plan !== undefined)
    figures.push(
      ['plan-files', 'Stored files in range (plan)', profile.plan.files],
      ['plan-records', 'Stored records in range (plan)', profile.plan.records],
    );
  const time = (us: number) => formatInZone(us, timezone).slice(11, 19);
  return (
    <Drawer dataTest="logs-query-profile-drawer" title="Query profile" onClose={onClose}>
      <table className="o2-table" data-test="logs-query-profile-summary">
        <tbody>
          {figures.map(([key, label, value]) => (
            <tr key={key}>
              <th>{label}</th>
              <td className="num" data-test={`logs-query-profile-${key}`}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Per partition (newest first)</h3>
      <div className="table-scroll">
        <table className="o2-table" data-test="logs-query-profile-partition-table">
          <thead>
            <tr>
              <th>Range</th>
              <th>ms</th>
              <th>File list ms</th>
              <th>Search ms</th>
              <th>Files</th>
              <th>Pruned</th>
              <th>Records</th>
            </tr>
          </thead>
          <tbody>
            {profile.partitions.map((p, i) => (
              <tr key={i} data-test={`logs-query-profile-partition-${i}`}>
                <td className="nowrap">
                  {time(p.start)} → {time(p.end)}
                </td>
                <td className="num">{p.took}</td>
                <td className="num">{p.fileListTook}</td>
                <td className="num">{p.searchTook}</td>
                <td className="num">{p.files}</td>
                <td className="num">{p.pruned}</td>
                <td className="num">{p.records}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Drawer>
  );
}
