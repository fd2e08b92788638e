#!/usr/bin/env bash
# Scaffolds packages/<name> or services/<name>: package.json, tsconfig.json (builds src/ into dist/
# without tests), tsconfig.test.json (typechecks the tests, emits nothing), src/index.ts, README.md.
# Add both tsconfigs to the root tsconfig.json's references.
# usage: scripts/new-package.sh packages|services <name> [dep ...]
set -euo pipefail
kind=$1; name=$2; shift 2
dir="$kind/$name"
mkdir -p "$dir/src"
deps=""; refs=""
for d in "$@"; do
  deps+="\"@o2/$d\": \"workspace:*\","
  if [ -d "packages/$d" ]; then refs+="{\"path\":\"../../packages/$d\"},"; fi
done
cat > "$dir/package.json" <<JSON
{
  "name": "@o2/$name",
  "version": "0.0.0",
  "private": true,
  "type": "module",
  "exports": {
    ".": { "@o2/source": "./src/index.ts", "types": "./dist/index.d.ts", "default": "./dist/index.js" }
  },
  "scripts": { "build": "tsc -b" },
  "dependencies": { ${deps%,} }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "@o2/tsconfig/base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo" },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts", "src/**/test-support/**"],
  "references": [${refs%,}]
}
JSON
cat > "$dir/tsconfig.test.json" <<JSON
{
  "extends": "@o2/tsconfig/base.json",
  "compilerOptions": { "rootDir": "src", "noEmit": true, "tsBuildInfoFile": "dist/test.tsbuildinfo" },
  "include": ["src/**/*.test.ts", "src/**/test-support/**/*.ts"],
  "references": [{"path":"./tsconfig.json"}${refs:+,${refs%,}}]
}
JSON
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
[ -f "$dir/README.md" ] || printf '# @o2/%s\n\nMay import: …\n' "$name" > "$dir/README.md"
