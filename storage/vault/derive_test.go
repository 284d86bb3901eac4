package vault

import (
	"bytes"
	"testing"
)

func TestDeriveKey(t *testing.T) {
	master := bytes.Repeat([]byte{1}, KeySize)
	a, err := DeriveKey(master, "purpose a")
	if err != nil || len(a) != KeySize {
		t.Fatalf("%x, %v", a, err)
	}
	again, _ := DeriveKey(master, "purpose a")
	other, _ := DeriveKey(master, "purpose b")
	otherMaster, _ := DeriveKey(bytes.Repeat([]byte{2}, KeySize), "purpose a")
	switch {
	case !bytes.Equal(a, again):
		t.Error("the same master key and purpose gave two keys")
	case bytes.Equal(a, other), bytes.Equal(a, otherMaster), bytes.Equal(a, master):
		t.Error("a derived key equals another purpose's, another master key's, or the master key")
	}
	if _, err := DeriveKey(master[:16], "purpose a"); err == nil {
		t.Error("a short master key was accepted")
	}
}
