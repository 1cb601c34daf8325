# fish completion for smile: asks the binary (smile __complete-described) for
# the candidates, each with its description after a tab, as fish shows them.
function __smile_complete
	set -l words (commandline -opc) (commandline -ct)
	set -l out ($words[1] __complete-described $words[2..-1] 2>/dev/null)
	if test "$out" = ":files"
		# --config=FILE: complete the file name after the '=', keeping the option.
		set -l lead (string match -r -- '^--[^=]*=' (commandline -ct))
		set -l path (string replace -r -- '^--[^=]*=' '' (commandline -ct))
		for p in (__fish_complete_path $path)
			printf '%s%s\n' "$lead" $p
		end
	else
		printf '%s\n' $out
	end
end
complete -c smile -f -a '(__smile_complete)'
