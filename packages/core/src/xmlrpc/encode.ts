import type { XmlRpcValue } from "./types.ts";

/** Escapes text for XML content; also drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** XML-RPC's dateTime.iso8601 (`19980717T14:08:55`), always written in UTC. */
function formatDateTime(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

export function encodeValue(value: XmlRpcValue): string {
  if (typeof value === "string") return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === "boolean") return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) {
      return `<value><int>${value}</int></value>`;
    }
    if (!Number.isFinite(value)) throw new TypeError(`XML-RPC cannot encode ${value}`);
    return `<value><double>${value}</double></value>`;
  }
  if (value === null) return "<value><nil/></value>";
  if (value instanceof Date) {
    return `<value><dateTime.iso8601>${formatDateTime(value)}</dateTime.iso8601></value>`;
  }
  if (value instanceof Uint8Array) {
    return `<value><base64>${Buffer.from(value).toString("base64")}</base64></value>`;
  }
  if (Array.isArray(value)) {
    return `<value><array><data>${value.map(encodeValue).join("")}</data></array></value>`;
  }
  const members = Object.entries(value)
    .map(
      ([name, member]) => `<member><name>${escapeXml(name)}</name>${encodeValue(member)}</member>`,
    )
    .join("");
  return `<value><struct>${members}</struct></value>`;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function encodeMethodCall(methodName: string, params: readonly XmlRpcValue[]): string {
  if (!/^[A-Za-z0-9_.:/]+$/.test(methodName)) {
    throw new TypeError(`invalid XML-RPC method name: ${JSON.stringify(methodName)}`);
  }
  const encoded = params.map((param) => `<param>${encodeValue(param)}</param>`).join("");
  return `${DECLARATION}<methodCall><methodName>${methodName}</methodName><params>${encoded}</params></methodCall>\n`;
}

export function encodeMethodResponse(value: XmlRpcValue): string {
  return `${DECLARATION}<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

export function encodeFault(faultCode: number, faultString: string): string {
  if (!Number.isInteger(faultCode))
    throw new TypeError(`faultCode must be an integer: ${faultCode}`);
  const struct = encodeValue({ faultCode, faultString });
  return `${DECLARATION}<methodResponse><fault>${struct}</fault></methodResponse>\n`;
}
