// Package imaging turns untrusted uploaded bytes into the renditions a
// reviewer is allowed to see: a strongly blurred greyscale preview by default,
// an unblurred greyscale view, colour or greyscale spotlight crops, and, only
// on explicit request, the camera metadata.
//
// Everything here is pure (bytes in, bytes out) and built to face hostile
// input: formats are recognised by magic bytes only, pixel counts, decoded
// sizes and compression ratios are checked from the header before anything
// is decoded, a Decoder keeps decodes running at once within a memory
// budget, decoder panics become errors, and every rendition is re-encoded
// from pixels so no metadata survives.
package imaging
