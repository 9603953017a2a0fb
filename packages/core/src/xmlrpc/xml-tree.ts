import { SaxesParser } from "saxes";
import { XmlRpcParseError } from "./errors.ts";
import type { XmlLimits } from "./types.ts";

/** A parsed element: name, child elements and its own text (concatenated). */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const DEFAULT_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 32, maxElements: 10_000 };

export function resolveLimits(limits: XmlLimits = {}): Required<XmlLimits> {
  return { ...DEFAULT_LIMITS, ...limits };
}

function decode(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > maxBytes) {
      throw new XmlRpcParseError("too-large", `document exceeds ${maxBytes} bytes`);
    }
    return input;
  }
  if (input.byteLength > maxBytes) {
    throw new XmlRpcParseError("too-large", `document exceeds ${maxBytes} bytes`);
  }
  const head = Buffer.from(input.subarray(0, 100)).toString("latin1");
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  const latin1 = declared && /^(iso-8859-1|latin1|us-ascii|ascii)$/i.test(declared);
  return new TextDecoder(latin1 ? "latin1" : "utf-8").decode(input);
}

/**
 * Parses a whole XML document with saxes, refusing what XML-RPC never needs and
 * attackers love: any DOCTYPE (so no entity definitions, no billion laughs), entities
 * other than the five predefined ones and character references, a second root,
 * and documents beyond the byte, depth or element caps.
 */
export function parseXmlDocument(input: string | Uint8Array, limits?: XmlLimits): XmlElement {
  const { maxBytes, maxDepth, maxElements } = resolveLimits(limits);
  const text = decode(input, maxBytes);
  if (text.trim() === "") throw new XmlRpcParseError("empty", "empty document");
  if (/^\s*(<!doctype\s+html|<html[\s>])/i.test(text)) {
    throw new XmlRpcParseError("html", "an HTML page, not an XML-RPC message");
  }

  const parser = new SaxesParser({ position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;

  parser.on("error", (error) => {
    throw new XmlRpcParseError("not-well-formed", `not well-formed XML: ${error.message}`, {
      cause: error,
    });
  });
  parser.on("doctype", () => {
    throw new XmlRpcParseError("doctype", "a DOCTYPE is not allowed in XML-RPC");
  });
  parser.on("opentag", (tag) => {
    elements += 1;
    if (elements > maxElements) {
      throw new XmlRpcParseError("too-many-elements", `more than ${maxElements} elements`);
    }
    if (stack.length >= maxDepth) {
      throw new XmlRpcParseError("too-deep", `elements nested deeper than ${maxDepth}`);
    }
    const element: XmlElement = { name: tag.name, children: [], text: "" };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new XmlRpcParseError("not-well-formed", "more than one root element");
    else root = element;
    stack.push(element);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const onText = (chunk: string) => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof XmlRpcParseError) throw error;
    throw new XmlRpcParseError(
      "not-well-formed",
      `not well-formed XML: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!root) throw new XmlRpcParseError("not-well-formed", "no root element");
  return root;
}
