import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { linkPreviewSchema } from "@/lib/protocol";
import { readHead } from "@/server/link-previews/read-head";

const PAGE = new URL("https://example.com/articles/1?x=1");

async function previewOf(html: string | Buffer | Buffer[], charset: string | null = null, maxBytes = 512 * 1024) {
  const chunks = Array.isArray(html) ? html : [typeof html === "string" ? Buffer.from(html) : html];
  const preview = (await readHead(Readable.from(chunks), charset, maxBytes)).preview(PAGE);
  if (preview) linkPreviewSchema.parse(preview);
  return preview;
}

describe("reading a page's preview", () => {
  it("takes Open Graph tags first, with the image resolved against the page", async () => {
    const html = `<!doctype html><html><head>
      <title>Plain title</title>
      <meta name="description" content="Plain description">
      <meta name="twitter:title" content="Twitter title">
      <meta property="og:title" content="OG title">
      <meta property="og:description" content="OG description">
      <meta property="og:image" content="/images/card.png">
      <meta property="og:site_name" content="Example News">
    </head><body></body></html>`;
    expect(await previewOf(html)).toEqual({
      url: "https://example.com/articles/1?x=1",
      title: "OG title",
      description: "OG description",
      imageUrl: "https://example.com/images/card.png",
      siteName: "Example News",
      image: null,
    });
  });

  it("falls back to Twitter cards, then to <title> and the meta description", async () => {
    expect(
      await previewOf(`<head><title>T</title><meta name="twitter:title" content="Tw">
        <meta name="twitter:image" content="https://cdn.example.net/t.jpg"><meta name="description" content="D"></head>`),
    ).toMatchObject({ title: "Tw", description: "D", imageUrl: "https://cdn.example.net/t.jpg", siteName: null });
    expect(await previewOf(`<html><head><TITLE>Just a title</TITLE></head>`)).toEqual({
      url: PAGE.href,
      title: "Just a title",
      description: null,
      imageUrl: null,
      siteName: null,
      image: null,
    });
  });

  it("has no preview without a title", async () => {
    expect(await previewOf(`<head><meta name="description" content="no title"><title>  </title></head>`)).toBeNull();
    expect(await previewOf("")).toBeNull();
  });

  it("decodes entities and folds white space and control characters", async () => {
    const preview = await previewOf(
      `<head><title>\n  Tom &amp; Jerry&#39;s &lt;b&gt; &eacute;t&eacute; &#x1F600;\t\u0001 </title>
       <meta property="og:description" content="a&quot;b&#0;c &nbsp; d&#xD800;e"></head>`,
    );
    expect(preview?.title).toBe("Tom & Jerry's <b> été 😀");
    expect(preview?.description).toBe('a"b\uFFFDc d\uFFFDe');
  });

  it("caps the title at 300 and the description at 1,000 characters, whole characters only", async () => {
    const title = "😀".repeat(400);
    const preview = await previewOf(
      `<head><title>${title}</title><meta name="description" content="${"d".repeat(5000)}"></head>`,
    );
    expect(preview?.title.length).toBeLessThanOrEqual(300);
    expect(preview?.title.endsWith("😀…")).toBe(true);
    expect(preview?.title.isWellFormed()).toBe(true);
    expect(preview?.description).toBe(`${"d".repeat(999)}…`);
  });

  it.each([
    ["javascript:alert(1)", null],
    ["data:image/png;base64,AAAA", null],
    ["file:///etc/passwd", null],
    ["https://user:secret@cdn.example.net/x.png", null],
    ["//cdn.example.net/x.png", "https://cdn.example.net/x.png"],
    ["x.png", "https://example.com/articles/x.png"],
    ["  https://cdn.example.net/y.png  ", "https://cdn.example.net/y.png"],
    ["http://8.8.8.8/x.png", "http://8.8.8.8/x.png"],
    ["http://10.0.0.1/x.png", null],
    ["http://169.254.169.254/latest/meta-data/", null],
    ["http://127.0.0.1:8080/x.png", null],
    ["http://[::1]/x.png", null],
    ["http://[::ffff:192.168.0.1]/x.png", null],
    ["http://localhost/x.png", null],
    ["http://printer.local/x.png", null],
    ["http://intranet/x.png", null],
  ])("keeps only http(s) image URLs on hosts that are not internal: %s", async (image, expected) => {
    const preview = await previewOf(`<head><title>T</title><meta property="og:image" content="${image}"></head>`);
    expect(preview?.imageUrl).toBe(expected);
  });

  it("finds Open Graph keys in name as well as property, beside another vocabulary", async () => {
    const preview = await previewOf(
      `<head><meta name="og:title" content="In name"><meta property="dc:description" name="description" content="D"></head>`,
    );
    expect(preview).toMatchObject({ title: "In name", description: "D" });
  });

  it("reads the first of several tags of a kind", async () => {
    const preview = await previewOf(
      `<head><meta property="og:title" content="First"><meta property="og:title" content="Second"></head>`,
    );
    expect(preview?.title).toBe("First");
  });

  it("stops at the body: tags after it are not read", async () => {
    expect(await previewOf(`<html><head></head><body><title>In the body</title></body>`)).toBeNull();
    expect(await previewOf(`<html><body><meta property="og:title" content="late"></body>`)).toBeNull();
  });

  it("reads no more than the byte limit", async () => {
    const head = `<head><meta name="x" content="${"p".repeat(2000)}">`;
    expect(await previewOf(`${head}<title>Early</title>`, null, 4096)).toMatchObject({ title: "Early" });
    expect(await previewOf(`${head}${" ".repeat(3000)}<title>Late</title>`, null, 4096)).toBeNull();
  });

  it("keeps what it had of a title cut off by the byte limit", async () => {
    expect((await previewOf(`<title>${"a".repeat(100)}`, null, 50))?.title).toBe("a".repeat(43));
  });

  it("decodes the charset the header names", async () => {
    const latin1 = Buffer.from("<title>Caf\xe9 cr\xe8me</title>", "latin1");
    expect((await previewOf(latin1, "iso-8859-1"))?.title).toBe("Café crème");
  });

  it("finds a <meta charset> at the start of the page when the header names none", async () => {
    const page = Buffer.from('<meta charset="windows-1252"><title>\x93Quoted\x94 \x80</title>', "latin1");
    expect((await previewOf(page))?.title).toBe("“Quoted” €");
    const httpEquiv = Buffer.from(
      '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>na\xefve</title>',
      "latin1",
    );
    expect((await previewOf(httpEquiv))?.title).toBe("naïve");
  });

  it("decodes UTF-8 characters split between chunks, and by default", async () => {
    const bytes = Buffer.from(`<title>${"x".repeat(1100)}日本語</title>`);
    const at = bytes.indexOf(Buffer.from("本")) + 1;
    expect((await previewOf([bytes.subarray(0, at), bytes.subarray(at)]))?.title).toBe(`${"x".repeat(299)}…`);
    const short = Buffer.from("<title>日本語</title>");
    expect((await previewOf([short.subarray(0, 9), short.subarray(9)]))?.title).toBe("日本語");
  });

  it("reads a page that declares UTF-16 in a <meta>, which it cannot be in, as UTF-8", async () => {
    expect((await previewOf('<meta charset="utf-16"><title>ok ✓</title>'))?.title).toBe("ok ✓");
  });

  it("looks for <meta charset> in the first 1,024 bytes only", async () => {
    const late = Buffer.from(`<title>caf\xe9</title><!--${" ".repeat(1100)}--><meta charset="iso-8859-1">`, "latin1");
    expect((await previewOf(late))?.title).toBe("caf\uFFFD");
  });

  it("treats an unknown charset as UTF-8", async () => {
    expect((await previewOf("<title>ok ✓</title>", "x-no-such-charset"))?.title).toBe("ok ✓");
  });
});
