# bash completion for smile. The candidates come from the binary itself
# (smile __complete), so they always match its command tables.
_smile()
{
	local IFS=$'\n' out lead= i w
	local -a words=()
	# Bash splits "--opt=value" at '=' (COMP_WORDBREAKS): join the pieces
	# again, so that smile sees the words as they were typed.
	for ((i = 1; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((${#words[@]})) && [[ $w == "=" && ${words[-1]} == --* && ${words[-1]} != *=* ]]; then
			words[-1]+="="
		elif ((${#words[@]})) && [[ ${COMP_WORDS[i - 1]} == "=" && ${words[-1]} == --*= ]]; then
			words[-1]+=$w
		else
			words+=("$w")
		fi
	done
	local cur=${words[-1]}
	# Readline replaces only what follows the '=', so candidates lose it.
	[[ $cur == --*=* ]] && lead=${cur%%=*}=
	out=$("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null) || return
	if [[ $out == ":files" ]]; then
		COMPREPLY=($(compgen -f -- "${cur#"$lead"}"))
	else
		COMPREPLY=($out)
		COMPREPLY=("${COMPREPLY[@]#"$lead"}")
	fi
}
complete -o default -F _smile smile
