/** Protobuf tags of the OTLP logs messages' fields, shared by the decoder and the encoder. */
import * as reader from './proto-reader';

const { WIRE_LEN } = reader;

/** A field's tag: its number and wire type. */
export const tag = (field: number, wire: number): number => (field << 3) | wire;
// Tags of known fields (all field numbers < 16, so each tag is one byte).
export const T_LEN1 = tag(1, WIRE_LEN);
export const T_LEN2 = tag(2, WIRE_LEN);
export const T_LEN3 = tag(3, WIRE_LEN);
