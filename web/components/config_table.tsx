/**
 * The run's hyperparameters as the lab declared them when the run started (the spec recorded in
 * run.json): flag and meaning with bounds or choices, value, with values that differ from that
 * run's default marked and the default shown. A run recorded without a spec shows just the values.
 */
import type { Param, Spec } from "../../lib/hparams.ts";
import { constraint, flagName } from "../../lib/hparams.ts";

const show = (value: unknown) => (typeof value === "string" ? (value === "" ? '""' : value) : JSON.stringify(value));

/** run.json may come from another machine or version: a param is used only if it has the shape the table reads. */
const usable = (param: unknown): param is Param =>
  typeof param === "object" && param !== null && typeof (param as Param).help === "string" &&
  ["int", "float", "string", "bool"].includes((param as Param).type);

export function ConfigTable({ config, spec }: { config: Record<string, unknown>; spec?: Spec }) {
  const keys = Object.keys(config);
  return (
    <table class="config" data-testid="config">
      <thead>
        <tr>
          <th>flag and meaning</th>
          <th>value</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const param = spec && Object.hasOwn(spec, key) && usable(spec[key]) ? spec[key] : undefined;
          const changed = param !== undefined && param.default !== config[key];
          const bounds = param && constraint(param);
          return (
            <tr key={key} class={changed ? "changed" : undefined}>
              <td>
                <span class="mono">--{flagName(key)}</span>
                {param && <div class="dim small">{param.help}{bounds && ` (${bounds})`}</div>}
              </td>
              <td class="mono value">
                {show(config[key])}
                {changed && <div class="dim small">default {show(param.default)}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
