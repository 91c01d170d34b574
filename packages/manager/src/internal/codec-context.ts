/**
 * What the proxy codec must know about the message being encoded right now (encoding is
 * synchronous inside `Connection.send`, so module variables set around the call are exact):
 * - on a client: the server the message goes to (a proxy of that very server travels without
 *   its authkey, and needs no pin);
 * - on a server: the client the reply goes to (the server takes a reference on that client's
 *   behalf for each of its own objects in the reply, so none is freed before the client has it).
 */
let encodingTo: string | null = null;
let encodingFor: { readonly server: object; readonly client: object } | null = null;

export function setEncodingTo(addressKey: string | null): void {
  encodingTo = addressKey;
}
export function getEncodingTo(): string | null {
  return encodingTo;
}
export function setEncodingFor(target: { readonly server: object; readonly client: object } | null): void {
  encodingFor = target;
}
export function getEncodingFor(): { readonly server: object; readonly client: object } | null {
  return encodingFor;
}
