#!/usr/bin/env python3
"""Writes parta(1) in roff from the binary's own help, in English or Russian.

    python3 packaging/manpage.py --binary .build-release/release/parta --language ru > parta.1

The help comes from `parta --experimental-dump-help` (swift-argument-parser's description of every
command, argument and option), run under the language's locale, so the page says what `--help`
says and cannot drift from it. Only the few fixed sections (exit status, environment, files) are
written here.
"""
import argparse
import json
import os
import subprocess
import sys

WORDS = {
    "en": {
        "name": "NAME", "synopsis": "SYNOPSIS", "description": "DESCRIPTION", "commands": "COMMANDS",
        "options": "OPTIONS", "exit": "EXIT STATUS", "environment": "ENVIRONMENT", "filesTitle": "FILES",
        "see": "SEE ALSO", "manual": "Parta manual", "command": "command", "optionsWord": "[options]",
        "exits": [("0", "Done."), ("1", "The request could not be done; the message says why."),
                  ("2", "Usage: an unknown command, option or value."),
                  ("3", "A bundle was damaged or refused; the message names the file and the reason.")],
        "env": [("LANG, LC_MESSAGES, LC_ALL", "Messages and help are in Russian unless the first of these that is set starts with \"en\"."),
                ("PARTA_HOME", "The data folder when --data is not given (else ~/.local/share/parta)."),
                ("PARTA_DEBUG", "Print the internal description of an error after its message.")],
        "files": [("~/.local/share/parta", "A school computer's replica, keys and sent marks."),
                  ("/var/lib/parta", "The municipal hub's data folder when it runs as the parta-hub service."),
                  ("/lib/systemd/system/parta-hub.service", "The hub as a service: systemctl enable --now parta-hub."),
                  ("/usr/share/doc/parta/examples/nginx-parta.conf", "A TLS front for the hub.")],
    },
    "ru": {
        "name": "ИМЯ", "synopsis": "СИНТАКСИС", "description": "ОПИСАНИЕ", "commands": "КОМАНДЫ",
        "options": "ПАРАМЕТРЫ", "exit": "КОД ВЫХОДА", "environment": "ОКРУЖЕНИЕ", "filesTitle": "ФАЙЛЫ",
        "see": "СМОТРИТЕ ТАКЖЕ", "manual": "Руководство Parta", "command": "команда", "optionsWord": "[параметры]",
        "exits": [("0", "Готово."), ("1", "Запрос не выполнен; сообщение говорит почему."),
                  ("2", "Неверный вызов: неизвестная команда, параметр или значение."),
                  ("3", "Пакет повреждён или отклонён; сообщение называет файл и причину.")],
        "env": [("LANG, LC_MESSAGES, LC_ALL", "Сообщения и справка на русском, если первая заданная из этих переменных не начинается с \"en\"."),
                ("PARTA_HOME", "Папка данных, если не задан --data (иначе ~/.local/share/parta)."),
                ("PARTA_DEBUG", "Печатать после сообщения об ошибке её внутреннее описание.")],
        "files": [("~/.local/share/parta", "Реплика, ключи и отметки отправки школьного компьютера."),
                  ("/var/lib/parta", "Папка данных управления, когда оно работает как служба parta-hub."),
                  ("/lib/systemd/system/parta-hub.service", "Управление как служба: systemctl enable --now parta-hub."),
                  ("/usr/share/doc/parta/examples/nginx-parta.conf", "TLS перед управлением.")],
    },
}


def roff(text):
    """Escapes text for a roff line: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def option_label(argument):
    names = []
    for name in argument.get("names", []):
        prefix = "-" if name["kind"] == "short" else "--"
        names.append(prefix + name["name"])
    label = ", ".join(names) if names else "<" + argument.get("valueName", "value") + ">"
    if argument["kind"] == "option":
        label += " <" + argument.get("valueName", "value") + ">"
    return label


def write_command(out, command, path, words):
    visible = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)
               and a.get("preferredName", {}).get("name") not in ("help", "version")]
    out.append(".SS " + roff(" ".join(path)))
    if command.get("abstract"):
        out.append(roff(command["abstract"]))
    if command.get("discussion"):
        out.append(".PP")
        out.append(roff(command["discussion"]))
    for argument in visible:
        out.append(".TP")
        out.append(".B " + roff(option_label(argument)))
        text = argument.get("abstract", "")
        if argument.get("discussion"):
            text += " " + argument["discussion"]
        if argument.get("defaultValue"):
            text += " (" + ("default" if words is WORDS["en"] else "по умолчанию") + ": " + argument["defaultValue"] + ")"
        out.append(roff(text))
    for sub in command.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            write_command(out, sub, path + [sub["commandName"]], words)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--language", choices=["en", "ru"], required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--version", required=True)
    args = parser.parse_args()
    words = WORDS[args.language]
    env = dict(os.environ, LANG="en_US.UTF-8" if args.language == "en" else "ru_RU.UTF-8")
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    dump = subprocess.run([args.binary, "--experimental-dump-help"], env=env, check=True, capture_output=True).stdout
    root = json.loads(dump)["command"]

    out = ['.TH PARTA 1 "%s" "parta %s" "%s"' % (args.date, args.version, words["manual"])]
    out += [".SH " + words["name"], "parta \\- " + roff(root.get("abstract", ""))]
    out += [".SH " + words["synopsis"], ".B parta", ".I " + words["command"], words["optionsWord"]]
    out += [".SH " + words["description"], roff(root.get("abstract", ""))]
    if root.get("discussion"):
        out += [".PP", roff(root["discussion"])]
    out += [".SH " + words["commands"]]
    for sub in root.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            write_command(out, sub, ["parta", sub["commandName"]], words)
    out += [".SH " + words["exit"]]
    for code, text in words["exits"]:
        out += [".TP", ".B " + code, roff(text)]
    out += [".SH " + words["environment"]]
    for name, text in words["env"]:
        out += [".TP", ".B " + roff(name), roff(text)]
    out += [".SH " + words["filesTitle"]]
    for name, text in words["files"]:
        out += [".TP", ".I " + roff(name), roff(text)]
    out += [".SH " + words["see"], ".BR systemctl (1),", ".BR nginx (8)"]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
