#!/usr/bin/env bash
echo "make demo: the embedded edge cluster and the operator are not built yet" >&2
exit 1
