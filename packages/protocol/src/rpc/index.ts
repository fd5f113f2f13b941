export { RPC_FRAME_HEADER_BYTES, RpcFrameDecoder, encodeRpcFrame } from './rpc-frames.ts';
export { decodeRpcMessage, encodeRpcCall, encodeRpcMessage, type RpcMessage, type RpcWireError } from './rpc-messages.ts';
