#!/bin/sh
# Replays the committed fuzzing corpus through the fuzz target (no libFuzzer needed).
set -u
exec "$top_builddir/tests/fuzz/fuzz-corpus" "$top_srcdir"/tests/fuzz/corpus/*
