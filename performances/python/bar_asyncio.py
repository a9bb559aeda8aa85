# -*- coding: utf-8 -*-
"""Le bar du cours, version événementielle avec asyncio.

Un seul processus, un seul thread : une boucle d'événements (epoll sous
Linux) et une coroutine par client. Chaque « await » rend la main à la
boucle tant que la socket n'est pas prête.

Usage : python3 bar_asyncio.py [PORT]  (1664 par défaut, 0 : un port libre)
"""
import asyncio
import sys

PORT_PAR_DEFAUT = 1664
LONGUEUR_MAX = 1024  # une commande plus longue que cela termine la session
EX_USAGE = 64


# ANCHOR: session
async def servir(lecteur, ecrivain):
    """La session d'un client : une réponse par commande, jusqu'à « fin »."""
    hote, port = ecrivain.get_extra_info("peername")[:2]
    try:
        while True:
            try:
                ligne = await lecteur.readline()
            except ValueError:
                break  # plus de LONGUEUR_MAX octets sans « \n »
            if not ligne.endswith(b"\n"):
                break  # fin de flux : le client est parti
            commande = ligne.rstrip(b"\n").rstrip(b"\r").decode("utf-8", errors="replace")
            print(f"{hote}:{port} commande : {commande}")
            ecrivain.write(f"vous m'avez demandé : {commande} bien reçu 5 / 5\n".encode("utf-8"))
            # drain() attend que le tampon d'émission se vide un peu : un
            # client qui ne lit pas ralentit sa session, pas celle des autres.
            await ecrivain.drain()
            if commande == "fin":
                break
    except ConnectionError:
        pass  # client parti brutalement : seule sa session s'arrête
    finally:
        ecrivain.close()
# ANCHOR_END: session


async def principal(port):
    serveur = await asyncio.start_server(
        servir, "127.0.0.1", port, limit=LONGUEUR_MAX, backlog=128, reuse_address=True
    )
    port = serveur.sockets[0].getsockname()[1]
    print(f"Le bar (asyncio) écoute sur 127.0.0.1:{port}", flush=True)
    async with serveur:
        await serveur.serve_forever()


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and not sys.argv[1].isdigit()):
        print("erreur : argument invalide\nusage : python3 bar_asyncio.py [PORT]", file=sys.stderr)
        sys.exit(EX_USAGE)
    port = int(sys.argv[1]) if len(sys.argv) == 2 else PORT_PAR_DEFAUT
    try:
        asyncio.run(principal(port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
