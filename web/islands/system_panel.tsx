/** Where and how fast the run trains: backend and device, speed, tfjs memory; speeds update live. */
import { useLatestScalars } from "../client/use_latest_scalars.ts";
import { formatBytes, formatValue } from "../shared/format.ts";
import type { RunInfo } from "../shared/payloads.ts";

export interface SystemPanelProps {
  runId: string;
  generation: string;
  cursor: number;
  backend: RunInfo["backend"];
  host: RunInfo["host"];
  /** the run's resumes, for the workers that ran it before */
  resumes?: RunInfo["resumes"];
  versions: Record<string, string>;
  /** latest value of each system/ and speed key */
  latest: Record<string, number>;
}

// Labs name their speed after what they count: images for generative models, env steps for RL.
const SPEED_KEYS = ["system/samples_per_second", "system/env_steps_per_second", "charts/sps", "charts/SPS"];
export const SYSTEM_KEYS = ["system/ms_per_step", "system/num_tensors", "system/num_bytes", ...SPEED_KEYS];

export default function SystemPanel(props: SystemPanelProps) {
  const latest = useLatestScalars(props, SYSTEM_KEYS);

  const speedKey = SPEED_KEYS.find((key) => key in latest);
  const speedUnit = speedKey === "system/samples_per_second" ? "samples/s" : "env steps/s";
  const { backend, host, versions } = props;
  const rows: [string, string, string?][] = [
    ["backend", backend.name + (backend.adapter ? ` · ${backend.adapter}` : ""), backend.reason],
    ["ms / step", formatValue(latest["system/ms_per_step"])],
    [speedUnit, speedKey ? formatValue(Math.round(latest[speedKey])) : "–"],
    ["tfjs tensors", formatValue(latest["system/num_tensors"])],
    ["tfjs memory", "system/num_bytes" in latest ? formatBytes(latest["system/num_bytes"]) : "–"],
    ["host", `${host.hostname} · ${host.os}/${host.arch}`],
    // a sweep trial says which worker (deno task worker) ran it, and the ones before a resume
    ...(host.worker ? [["worker", workersOf(host.worker, props.resumes)] as [string, string]] : []),
    [
      "versions",
      Object.entries(versions).filter(([k]) => ["deno", "tfjs", "v8"].includes(k)).map(([k, v]) => `${k} ${v}`).join(
        " · ",
      ),
    ],
  ];
  return (
    <table class="kv" data-testid="system">
      <tbody>
        {rows.map(([name, value, title]) => (
          <tr key={name}>
            <th>{name}</th>
            <td class="mono" title={title}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The worker that wrote the run last, after those that ran it before a resume (earliest first), when they differ. */
function workersOf(last: string, resumes: SystemPanelProps["resumes"]): string {
  const earlier = (resumes ?? []).map((r) => r.worker).filter((w): w is string => !!w && w !== last);
  return [...new Set([...earlier, last])].join(" → ");
}
