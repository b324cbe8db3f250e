/** The dashboard's error pages: inside the layout when signed in, a bare document otherwise. */
import type { UiContext } from "./context";
import { Document, Flash, Layout } from "./layout";

export function ErrorPage(props: { c: UiContext; status: number; title: string; detail: string }) {
  const viewer = props.c.get("viewer");
  const body = (
    <>
      <Flash error={props.detail} />
      <p>
        <a href="/app/runs">Back to runs</a>
      </p>
    </>
  );
  return viewer ? (
    <Layout title={props.title} nonce={props.c.get("nonce")} viewer={viewer} section="none">
      {body}
    </Layout>
  ) : (
    <Document title={props.title} nonce={props.c.get("nonce")}>
      <main id="main">
        <h1>{props.title}</h1>
        {body}
      </main>
    </Document>
  );
}

export function notFoundPage(c: UiContext): Response | Promise<Response> {
  return c.html(<ErrorPage c={c} status={404} title="Not found" detail={`There is no page at ${c.req.path}.`} />, 404);
}
