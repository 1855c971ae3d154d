/**
 * Fresh's island model without Fresh: the server renders the island's component to HTML inside
 * a marked element and writes its props as JSON right after it; web/client/main.ts finds the
 * markers and hydrates each with the same component and props. Props must be plain data.
 */
import type { FunctionComponent } from "preact";
import { ISLANDS } from "../islands/mod.ts";

/** JSON safe inside <script>: no "</script>" or "<!--" can close or confuse it. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

// deno-lint-ignore no-explicit-any
export function Island<P extends Record<string, any>>({ component, props }: {
  component: FunctionComponent<P>;
  props: P;
}) {
  const name = Object.entries(ISLANDS).find(([, c]) => (c as unknown) === component)?.[0];
  if (!name) throw new Error(`${component.name} is not registered in web/islands/mod.ts`);
  const Component = component as FunctionComponent<P>;
  return (
    <>
      <div data-island={name} class="island">
        <Component {...props} />
      </div>
      <script
        type="application/json"
        data-island-props={name}
        dangerouslySetInnerHTML={{ __html: scriptJson(props) }}
      />
    </>
  );
}
