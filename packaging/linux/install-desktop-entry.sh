#!/bin/sh
# Adds Fine-Tune Workbench to your applications menu and puts `workbench` on your PATH, for you only
# (no root). Run it from the unpacked app folder; run it again after moving the folder.
#   ./install-desktop-entry.sh             install
#   ./install-desktop-entry.sh --uninstall remove the menu entry, icons and the PATH link
set -eu
app_id=io.finetuneworkbench.Workbench
here=$(cd "$(dirname "$0")" && pwd)
share=${XDG_DATA_HOME:-$HOME/.local/share}
bin_dir=$HOME/.local/bin
src=$here/_internal/share

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$share/applications/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml"
  find "$share/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
  if [ -L "$bin_dir/workbench" ]; then rm -f "$bin_dir/workbench"; fi
  echo "Removed Fine-Tune Workbench from the applications menu. The app folder $here is untouched."
  exit 0
fi

if [ ! -x "$here/workbench" ] || [ ! -d "$src" ]; then
  echo "Run this script from the Fine-Tune Workbench app folder (it should contain 'workbench')." >&2
  exit 1
fi
mkdir -p "$bin_dir" "$share/applications" "$share/metainfo"
ln -sfn "$here/workbench" "$bin_dir/workbench"
(cd "$src/icons" && find hicolor -type f -name "$app_id.*") | while read -r icon; do
  mkdir -p "$share/icons/$(dirname "$icon")"
  cp "$src/icons/$icon" "$share/icons/$icon"
done
# The menu entry runs this folder's executable, wherever it was unpacked.
sed -e "s|^Exec=workbench|Exec=\"$here/workbench\"|" -e "s|^TryExec=workbench|TryExec=$here/workbench|" \
  "$src/applications/$app_id.desktop" > "$share/applications/$app_id.desktop"
cp "$src/metainfo/$app_id.metainfo.xml" "$share/metainfo/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "Fine-Tune Workbench is in your applications menu; 'workbench' runs it from a terminal"
case ":$PATH:" in *":$bin_dir:"*) ;; *) echo "(add $bin_dir to your PATH for the 'workbench' command)";; esac
