/** The 404 page: says what was not found and leads back to the runs list. */
import { Layout } from "../components/layout.tsx";
import { renderPage } from "./render.ts";

export const notFoundPage = (message: string): string =>
  renderPage(
    <Layout title="Not found">
      <h1>Not found</h1>
      <p>{message}</p>
      <p>
        <a href="/">All runs</a>
      </p>
    </Layout>,
  );
