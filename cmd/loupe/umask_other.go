//go:build !unix

package main

func restrictUmask() {}

const unixModes = false
