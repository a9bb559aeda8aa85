# -*- coding: utf-8 -*-
"""Le bar du cours, version concurrente « un processus par client ».

C'est l'architecture la plus courante des serveurs Python d'enseignement : un
veilleur attend dans accept() ; pour chaque client, il crée un exécutant
avec os.fork() et retourne aussitôt attendre le suivant. L'exécutant sert
son client jusqu'à « fin », puis se termine.

Usage : python3 bar_fork.py [PORT]     (1664 par défaut, 0 : un port libre)
"""
import os
import signal
import socket
import sys

PORT_PAR_DEFAUT = 1664
LONGUEUR_MAX = 1024  # une commande plus longue que cela termine la session
EX_USAGE = 64


def servir(service, adresse):
    """L'exécutant : une réponse par commande, jusqu'à « fin » ou le départ."""
    lignes = service.makefile("rb")
    while True:
        ligne = lignes.readline(LONGUEUR_MAX)
        # Pas de « \n » final : fin de flux (le client est parti) ou ligne
        # trop longue. Dans les deux cas, la session s'arrête.
        if not ligne.endswith(b"\n"):
            break
        commande = ligne.rstrip(b"\n").rstrip(b"\r").decode("utf-8", errors="replace")
        print(f"{adresse[0]}:{adresse[1]} commande : {commande}")
        reponse = f"vous m'avez demandé : {commande} bien reçu 5 / 5\n"
        service.sendall(reponse.encode("utf-8"))
        if commande == "fin":
            break
    service.close()


def recolter(_signal, _pile):
    """Récolte (waitpid) tous les fils terminés, sans attendre les autres."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # plus aucun fils
        if pid == 0:
            return  # des fils tournent encore, aucun n'a fini


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and not sys.argv[1].isdigit()):
        print("erreur : argument invalide\nusage : python3 bar_fork.py [PORT]", file=sys.stderr)
        sys.exit(EX_USAGE)
    port = int(sys.argv[1]) if len(sys.argv) == 2 else PORT_PAR_DEFAUT

    ecoute = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ecoute.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ecoute.bind(("127.0.0.1", port))
    ecoute.listen(128)
    print(f"Le bar (un processus par client) écoute sur 127.0.0.1:{ecoute.getsockname()[1]}",
          flush=True)

    # ANCHOR: veilleur
    # Un fils terminé devient un zombie tant que le père n'a pas lu son
    # statut : à chaque SIGCHLD, le veilleur récolte tous ceux qui ont fini.
    signal.signal(signal.SIGCHLD, recolter)
    while True:
        service, adresse = ecoute.accept()
        # Ce qui attend dans le tampon de sortie serait copié dans le fils,
        # puis écrit deux fois : on le vide avant fork().
        sys.stdout.flush()
        if os.fork() == 0:
            # Le fils : il n'accepte personne, il sert ce client-là.
            ecoute.close()
            try:
                servir(service, adresse)
            except OSError:
                pass  # client parti brutalement : seule sa session s'arrête
            finally:
                sys.stdout.flush()
                os._exit(0)
        # Le père : la socket de service appartient au fils désormais.
        service.close()
    # ANCHOR_END: veilleur


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
