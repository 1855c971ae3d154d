/**
 * The run's hyperparameters as the lab declared them: flag and meaning, value, with values that
 * differ from the default marked and the default shown. Without the lab's spec, just the values.
 */
import type { Spec } from "../../lib/hparams.ts";
import { flagName } from "../../lib/hparams.ts";

const show = (value: unknown) => (typeof value === "string" ? (value === "" ? '""' : value) : JSON.stringify(value));

export function ConfigTable({ config, spec }: { config: Record<string, unknown>; spec: Spec | null }) {
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
          const param = spec?.[key];
          const changed = param !== undefined && param.default !== config[key];
          return (
            <tr key={key} class={changed ? "changed" : undefined}>
              <td>
                <span class="mono">--{flagName(key)}</span>
                {param && <div class="dim small">{param.help}</div>}
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
