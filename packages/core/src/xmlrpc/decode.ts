import { cleanLine } from "../text/clean-text.ts";
import { XmlRpcParseError } from "./errors.ts";
import type { MethodCall, MethodResponse, XmlLimits, XmlRpcFault, XmlRpcValue } from "./types.ts";
import { parseXmlDocument, type XmlElement } from "./xml-tree.ts";

function notXmlRpc(message: string): XmlRpcParseError {
  return new XmlRpcParseError("not-xml-rpc", message);
}

function only(element: XmlElement, name: string): XmlElement {
  const [first, ...rest] = element.children;
  if (!first || rest.length > 0 || first.name !== name) {
    throw notXmlRpc(`<${element.name}> must contain exactly one <${name}>`);
  }
  return first;
}

function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  for (const child of element.children) {
    if (child.name !== name) throw notXmlRpc(`unexpected <${child.name}> in <${element.name}>`);
  }
  return element.children;
}

function parseInteger(text: string, type: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d{1,19}$/.test(trimmed))
    throw notXmlRpc(`<${type}> holds "${trimmed.slice(0, 40)}"`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) throw notXmlRpc(`<${type}> ${trimmed} is out of range`);
  return value;
}

function parseDateTime(text: string): Date {
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (!match) throw notXmlRpc(`<dateTime.iso8601> holds "${text.trim().slice(0, 40)}"`);
  const [, y, mo, d, h, mi, s, zone] = match;
  const offset = zone && zone !== "Z" ? zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : "Z";
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(date.getTime())) throw notXmlRpc(`invalid dateTime.iso8601 "${text.trim()}"`);
  return date;
}

/** Decodes one `<value>`; a value with no type element is a string, as the spec says. */
export function decodeValue(value: XmlElement): XmlRpcValue {
  if (value.name !== "value") throw notXmlRpc(`expected <value>, found <${value.name}>`);
  if (value.children.length === 0) return value.text;
  const typed = only(value, value.children[0]?.name ?? "");
  const text = typed.text;
  switch (typed.name) {
    case "string":
      return text;
    case "int":
    case "i4":
    case "i8":
      return parseInteger(text, typed.name);
    case "boolean": {
      const flag = text.trim();
      if (flag !== "0" && flag !== "1") throw notXmlRpc(`<boolean> holds "${flag.slice(0, 40)}"`);
      return flag === "1";
    }
    case "double": {
      const number = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(number))
        throw notXmlRpc(`<double> holds "${text.trim().slice(0, 40)}"`);
      return number;
    }
    case "dateTime.iso8601":
      return parseDateTime(text);
    case "base64":
      return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "base64"));
    case "nil":
      return null;
    case "array": {
      const data = only(typed, "data");
      return childrenNamed(data, "value").map(decodeValue);
    }
    case "struct": {
      const struct: Record<string, XmlRpcValue> = Object.create(null);
      for (const member of childrenNamed(typed, "member")) {
        const name = member.children.find((child) => child.name === "name");
        const memberValue = member.children.find((child) => child.name === "value");
        if (!name || !memberValue || member.children.length !== 2) {
          throw notXmlRpc("<member> must hold one <name> and one <value>");
        }
        struct[name.text] = decodeValue(memberValue);
      }
      return struct;
    }
    default:
      throw notXmlRpc(`unknown value type <${typed.name}>`);
  }
}

function decodeParams(params: XmlElement): XmlRpcValue[] {
  return childrenNamed(params, "param").map((param) => decodeValue(only(param, "value")));
}

/** Parses an incoming `<methodCall>` (what a receiver is sent). */
export function parseMethodCall(input: string | Uint8Array, limits?: XmlLimits): MethodCall {
  const root = parseXmlDocument(input, limits);
  if (root.name !== "methodCall")
    throw notXmlRpc(`root element is <${root.name}>, not <methodCall>`);
  const nameElement = root.children.find((child) => child.name === "methodName");
  if (!nameElement) throw notXmlRpc("<methodCall> has no <methodName>");
  const paramsElement = root.children.find((child) => child.name === "params");
  for (const child of root.children) {
    if (child !== nameElement && child !== paramsElement) {
      throw notXmlRpc(`unexpected <${child.name}> in <methodCall>`);
    }
  }
  const methodName = nameElement.text.trim();
  if (methodName === "") throw notXmlRpc("empty <methodName>");
  return { methodName, params: paramsElement ? decodeParams(paramsElement) : [] };
}

const INTEGER_TEXT = /^\s*[+-]?\d{1,19}\s*$/;
const MAX_RAW_CODE = 64;

/**
 * The fault code as a safe integer. Some servers send it as a string of digits; one
 * that is missing is the generic 0; anything else (a double, a huge number, words, a
 * struct) is 0 too, with what was sent kept (cut short) for the message.
 */
function faultCodeOf(
  value: XmlElement | undefined,
): Pick<XmlRpcFault, "faultCode" | "faultCodeRaw"> {
  if (!value) return { faultCode: 0 };
  let decoded: XmlRpcValue | undefined;
  try {
    decoded = decodeValue(value);
  } catch (error) {
    if (!(error instanceof XmlRpcParseError)) throw error;
  }
  if (typeof decoded === "number" && Number.isSafeInteger(decoded)) return { faultCode: decoded };
  if (typeof decoded === "string" && INTEGER_TEXT.test(decoded)) {
    const code = Number(decoded);
    if (Number.isSafeInteger(code)) return { faultCode: code };
  }
  const text =
    typeof decoded === "string" || typeof decoded === "number"
      ? String(decoded)
      : (value.children[0]?.text ?? value.text);
  const typed = value.children[0]?.name;
  const raw = `${typed ? `<${typed}>` : ""}${cleanLine(text, MAX_RAW_CODE)}`;
  return { faultCode: 0, faultCodeRaw: raw };
}

/**
 * A `<fault>`'s struct: faultCode and faultString, read leniently (a fault is an answer
 * whatever its code looks like); other members are ignored.
 */
function decodeFault(body: XmlElement): MethodResponse {
  const value = only(body, "value");
  if (value.children.length !== 1 || value.children[0]?.name !== "struct") {
    throw notXmlRpc("<fault> must hold a struct");
  }
  let code: XmlElement | undefined;
  let faultString = "";
  for (const member of childrenNamed(value.children[0], "member")) {
    const name = member.children.find((child) => child.name === "name");
    const memberValue = member.children.find((child) => child.name === "value");
    if (!name || !memberValue || member.children.length !== 2) {
      throw notXmlRpc("<member> must hold one <name> and one <value>");
    }
    if (name.text === "faultCode") code = memberValue;
    else if (name.text === "faultString") {
      const text = decodeValue(memberValue);
      faultString = typeof text === "string" ? text : "";
    }
  }
  return { kind: "fault", ...faultCodeOf(code), faultString };
}

/** Parses a `<methodResponse>`: one success value, or a fault (code 0 and "" if absent). */
export function parseMethodResponse(
  input: string | Uint8Array,
  limits?: XmlLimits,
): MethodResponse {
  const root = parseXmlDocument(input, limits);
  if (root.name !== "methodResponse") {
    throw notXmlRpc(`root element is <${root.name}>, not <methodResponse>`);
  }
  const [body, ...rest] = root.children;
  if (!body || rest.length > 0)
    throw notXmlRpc("<methodResponse> must hold one <params> or <fault>");
  if (body.name === "fault") return decodeFault(body);
  if (body.name !== "params") throw notXmlRpc(`unexpected <${body.name}> in <methodResponse>`);
  const params = decodeParams(body);
  if (params.length !== 1)
    throw notXmlRpc(`<params> of a response must hold one value, not ${params.length}`);
  return { kind: "success", value: params[0] as XmlRpcValue };
}
