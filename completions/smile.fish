# fish completion for smile: asks the binary (smile __complete) for candidates.
function __smile_complete
	set -l words (commandline -opc) (commandline -ct)
	set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
	if test "$out" = ":files"
		__fish_complete_path (commandline -ct)
	else
		printf '%s\n' $out
	end
end
complete -c smile -f -a '(__smile_complete)'
