export { decodeValue, parseMethodCall, parseMethodResponse } from "./decode.ts";
export {
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
  encodeValue,
  escapeXml,
} from "./encode.ts";
export { type XmlRpcErrorReason, XmlRpcParseError } from "./errors.ts";
export { encodePingbackPing, PINGBACK_FAULTS, XMLRPC_FAULTS } from "./pingback.ts";
export type {
  MethodCall,
  MethodResponse,
  XmlLimits,
  XmlRpcFault,
  XmlRpcValue,
} from "./types.ts";
export { parseXmlDocument, type XmlElement } from "./xml-tree.ts";
