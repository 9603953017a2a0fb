/** An XML-RPC value as JavaScript holds it. */
export type XmlRpcValue =
  | string
  | number
  | boolean
  | null
  | Date
  | Uint8Array
  | XmlRpcValue[]
  | { [member: string]: XmlRpcValue };

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

export interface XmlRpcFault {
  /** A safe integer: a code that is not one (1.5, 1e30, "abc") is read as 0. */
  faultCode: number;
  faultString: string;
  /** The code as sent, when it was not a safe integer (and `faultCode` is 0). */
  faultCodeRaw?: string;
}

export type MethodResponse =
  | { kind: "success"; value: XmlRpcValue }
  | ({ kind: "fault" } & XmlRpcFault);

/** Caps on what the parser accepts; anything beyond is refused, not truncated. */
export interface XmlLimits {
  /** UTF-8 bytes of the whole document. Default 1 MiB. */
  maxBytes?: number;
  /** Element nesting depth. Default 32. */
  maxDepth?: number;
  /** Elements in the document. Default 10,000. */
  maxElements?: number;
}
