/** The documents around a Query or EC2 response, and their error bodies. */
import { escapeXml } from './xml.js';

export function queryResponse(op: string, ns: string, resultWrapper: string | undefined, body: string, requestId: string): string {
  const result = resultWrapper === undefined ? '' : `<${resultWrapper}>${body}</${resultWrapper}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${op}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`;
}

export function ec2Response(op: string, ns: string, body: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${op}Response xmlns="${ns}"><requestId>${requestId}</requestId>${body}</${op}Response>`;
}

export function queryError(ns: string, code: string, message: string, requestId: string, sender: boolean): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export function ec2Error(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`;
}
