"""More common words per language: everyday vocabulary beyond the function words in lexicon.py.

Written for this project from general knowledge of each language (not taken from any corpus).
Words spelled the same in two languages ("hotel", "animal") are listed under both or neither,
because a word found in one list only counts against the others.
"""

from __future__ import annotations

MORE_WORDS: dict[str, str] = {
    "en": """able above accident across action activities actor actress add added adding
    advance advice afternoon agreed aid aim alive allowed already ancient angry anybody
    anyway apart apartment apple april arms arrived arts asking attempt august aunt autumn
    average awful background balance band basic basis basket bath battle bear beauty became
    becomes beginning belong bench bird birth bit blind block boat bones bottle bottom bought
    brain branch bread breakfast breath bridge bright brought brown buildings burn busy
    button cake calling calm cannot capacity captain careful carried cat caught ceiling
    chain changed cheap cheese chicken chief chosen circle claims clean clock closed clothes
    cloud coast coffee collect coming companies complete completely concerned contract
    cook cool copy corner correct cotton count counter county courage cousin cow crazy
    cried crowd cry daily damage danger dear december decided deeply degree delivery
    demand department depend desk destroy dirty dish divide doing dollar double doubt
    downtown drawing dress drink driver driving dry dust duty eager earlier earn easily
    eaten edge egg eleven empty enemy engine enough entrance equal escape evening exercise
    explain eye fair faith false familiar famous fancy farm farmer fat favorite
    february feed felt female fence fifteen fifty fight filled finger fit fixed flat flight
    flower folks followed fool football forest forever forgot fourth fresh friday friendly
    frightened fruit funny furniture gate gather gave gentle gift given giving glad goes
    gold golden gone government grade grass gray greatest grew guard guest guide happened
    hardly hate heavy height held hidden highway hill hired hole holiday honest horse
    hungry hurry hurt ice ill immediately inch income inside instead iron island jacket
    january join joke journey judge july jump june jury kept key kids kind kiss knee knife
    knock knowing lady lake laughed lazy leaf learned leaving lesson library lift lifted
    liked living lonely loose lovely lower lucky lunch mad mail making march marry
    match meal meant meat medicine mention middle midnight mile milk minute mirror missing
    mistake monday monthly moon mouth moved moving mud neck neighbor neighborhood nervous
    nine nobody noon normal nose november nurse nuts obey ocean october oh older onto
    opened opposite orange ordinary outside oven owe pack paid pair pants park passed
    path peace pen pencil perfect photo pie pink pipe pleasant pleased plenty pocket poem
    pool pop porch pound pour pray prefer pretty print prison prize proud provided pulled
    purple putting quarter queen quick quiet rain rainy raised ran rang rare rarely reached
    reader reading ready refused remembered replied repair rice ride ring river roof rope
    rough round row royal rubber rush sad saturday saved saying scared sell sent september
    settled shadow shall shape sharp sheet shelf shine ship shirt shoe shoes shop shopping
    shout shut sick sight sign silent silly silver sink sir sixty skinny sky sleep slept
    slightly slow slowly smell smile smoke snow soap sofa soft soil sold son song soon sorry
    sort soup spent spoke spot square stairs stamp stick stood storm strange stranger
    straight stream strength stretch string stuck sudden sugar suit sunday supper supply
    sweet swim taught tea tear teeth thick thin thirsty thirty thursday tie tiny tired
    toilet tomato tongue tooth towel tower toy traffic trust tuesday twelve twenty ugly
    uncle upset upstairs useful wake walked warm wash waste wednesday weekend weight
    welcome wet wheel whether whisper wild wine winter wise wooden wore worse worst worth
    wrote yellow young youth
    access according achieve acquire addition additional administration advantage
    advertising affair afford agenda aircraft airport alcohol alliance amazing amendment
    analyst announce announcement anxiety apparent appeal appearance application
    appointment appreciate appropriate approval approve arrangement arrest assessment
    assignment assistance assistant associate association assumption atmosphere attach
    attempt attend attitude attorney attract attractive awareness basically bathroom
    beneath birthday border borrow boundary breakfast breast brief broad broadcast
    brush burden cabinet capability capture carbon careful category ceremony
    champion channel chapter characteristic charity chemical chest childhood chocolate
    circumstance clinical closely clothing coalition cognitive collapse colleague
    combination comfort comfortable command commission commitment committee communicate
    communication comparison competition complain complaint complex component concept
    concerning conclude conclusion conduct confidence confirm conflict confront
    confusion connect connection consequence conservative considerable consistent
    constant constitute construction consult contemporary content contest context
    contribute contribution controversial convention conversation convert convince
    cooperation corporate county crash creative credit crew criminal crisis
    criteria critic critical crucial currently customer dangerous deadline
    dealer decline declare defendant define definitely definition deliver delivery
    democracy democratic demonstrate deny depression deputy deserve desire desperate
    detect device diagnosis diet differ digital dimension disability disappear
    discipline discount disorder display distance distinct distribution district
    diverse division document domestic dominant donate driver earnings
    educational efficient elderly electric electricity element eliminate emerge
    emission emotion emotional emphasis employ employment enable encounter
    encourage enemy engage engineer engineering enhance enormous ensure enterprise
    entertainment equipment error essential estimate ethnic evaluate evaluation
    eventually evident evolution exact examination excellent exception exchange
    exciting executive exhibit exhibition existing expansion expectation
    expensive experiment explanation export exposure express expression
    extend extension extensive extent external extreme facility faculty failure
    fashion favor feature federal fee festival fiction filter finance firm flexible
    fortune foundation framework frequently fuel function fundamental funding furthermore
    gender generate genetic gesture global grant guarantee guideline headline
    healthy highlight historic historical household identity illegal illness
    immigrant immigration implement implication impose impossible impression
     incentive incident income incorporate increasingly independent index
    infection inflation influence initial initiative injury inquiry insight inspector
    install instance institute instruction instrument insurance intelligence intend
    intense intention interaction internal interpretation intervention introduce
    investigate investigation investor invite involved involvement journal journalist
    judgment jurisdiction justice justify landscape largely launch lawsuit layer
    leadership league legacy legislation legitimate leisure lifestyle lifetime limited
    literally literature location logic luxury mainly maintenance manufacturer margin
    massive maximum meanwhile mechanism medication mental merely message metal minimum
    minister minority mixture mobile moderate modest monitor moral mortgage motion
    motivation mount municipal museum mutual narrative negotiate neighborhood
    nevertheless normally notion numerous objective obligation observation observe
    obtain obvious obviously occasion occupation odd offense ongoing online operate
    opponent oppose opposition organize origin outcome overall overcome ownership
    participant participate particularly partnership passenger patience penalty
    pension perception permanent permission permit perspective phenomenon philosophy
    pleasure pocket portion portrait possess possibility potential poverty precisely
    predict preference pregnant premium presence preserve previously primarily
    priority proceed profession profile profit progress prohibit prominent
    promise promote proportion proposal propose prosecutor prospect
    protection protest provision psychological publication publish purchase pursue
    qualify quarter quote rating reaction readily recall recognition recommend
    recommendation recover recovery recruit reference reform regard regardless
    register regulation regulatory reinforce reject release relevant reliable relief
    rely remarkable remind remote rental repeat replace representative reputation
    requirement reservation resident resist resolution resolve respect respective
    restaurant restore restriction retain retire retirement revenue review revolution
    reward rough routine sample satisfy scale schedule scholar scope screen secure
    segment selection sensitive sentence separate sequence session settlement severe
    shelter shift shortly signal significantly silence similarly sophisticated
    specialist species spending sponsor stability statistics status steady strategic
    strengthen stress strict strike striking struggle submit subsequent substance
    substantial suburban succeed sufficient suggestion suitable summit supplier
    supporter supposed surgery surprise surprising surround survey survival survive
    suspect sustain symbol sympathy tactic talent target taxpayer temporary tendency
    tension terrible territory testimony therapy thereby tissue tobacco tournament
    tradition transfer transform transformation transition translate transportation
    tremendous tribe typically ultimate ultimately unemployment unfortunately unique
    universal unknown unlike unusual urban urge vacation valuable variable variation
    vast vehicle venture version veteran victory virtual visible vision visitor
    vulnerable wage wealth weapon welfare whenever wherever widely willing withdraw
    witness workshop worldwide yield""",
    "es": """acerca actual además agua ahí ahora aire algo alguien algún alguna algunas
    alguno algunos allí alto alta amigo amiga amigos año años antes antiguo aquel aquella
    aquí árbol así aunque ayer ayuda bajo bajar barrio bastante beber bien blanco boca
    bonito brazo buen buena bueno buscar cabeza cada caja calle cama cambiar cambio camino
    campo cansado cantidad cara carne carrera carta casa casi caso cerca cielo ciudad
    claro clase cocina coche comer comida cómo compañía comprar común conocer conseguir
    contra corazón correo cosa cosas creer crecer cual cuál cualquier cuanto cuánto cuarto
    cuatro cuenta cuerpo cuidado culpa dar debajo deber decir dejar delante demasiado
    dentro derecha derecho desde después día días dinero dirección dónde dormir dos dueño
    durante edad ejemplo empezar empresa encima encontrar enfermo entonces entrar escribir
    escuchar escuela ese esa esos esas espacio esperar estado estar este esto estos estas
    éxito explicar fácil falta familia favor fecha feliz fin forma frente fuego fuera
    fuerte gente gobierno gran grande grupo gustar haber había habitación hablar hacer
    hacia hambre hasta hecho hermano hermana hija hijo hijos historia hombre hora hoy
    hubo idea iglesia igual importante interés ir izquierda jamás joven juego jugar junto
    lado largo leche leer lejos lengua lento letra levantar libre llamar llegar
    llevar lleno luego lugar luz madre mal malo mañana mano manera mar más mayor medio
    mejor menos mes mesa mientras mil minuto mirar mismo mitad momento mucho muchos
    mujer mundo nada nadie necesitar negro ningún ninguna niño niña niños noche nombre
    nosotros nuestra nuestro nuevo nueva número nunca obra ocho oír ojo ojos otra otro
    otros padre padres pagar país palabra pan para parecer pared parte partido pasar
    pedir película pelo pensar pequeño perder perro persona personas pie piso poco poder
    poner porque pregunta primer primera primero principal problema pueblo puerta pues
    punto quedar querer quién quizás rápido razón recibir recordar respuesta resto rojo
    ropa saber sacar salir salud seguir según segundo seis semana señor señora sentir
    ser servicio siempre siete siglo siguiente silla sino sistema sobre sol solo sólo
    suelo sueño tal también tampoco tanto tarde tener tercer tiempo tienda tierra tipo
    todavía todos tomar trabajar trabajo traer tres tu tú último único usted ustedes
    vamos varios vaso veces vender venir ventana ver verdad verde vez viaje vida viejo
    vieja viernes lunes martes miércoles jueves sábado domingo enero febrero marzo abril
    mayo junio julio agosto septiembre octubre noviembre diciembre vivir volver vosotros
    voz vuelta zapato papel isla desarrollo sociedad universidad nacional internacional política
    económico económica público pública servicios información empresa gobierno ciudadanos
    municipal mediante través siendo sido tenía tienen hacen puede pueden debe deben
    hay había hubiera fueron estaban están estamos somos eran fue será sería tiene hemos
    han ha he has tengo tienes quiero quieres puedo necesito vivo vive dijo dice hizo""",
    "fr": """accord acheter actuel affaire âge agir aider aimer ainsi air aller alors
    ami amie amis ancien année années appeler apprendre après argent arrêter arriver
    assez attendre aujourd'hui autour autre autres avant avec avenir avion avis bas
    beau beaucoup besoin bien bientôt blanc bleu boire bois bon bonne bouche bras bruit
    bureau but cas cause ce cela celle celui cent certain ces cet cette chacun chambre
    champ chance changer chaque chat chaud chef chemin cher chercher cheval cheveux chez
    chien chose choses ciel cinq clair classe cœur coin combien comme commencer comment
    comprendre compte connaître contre corps côté coucher couleur coup cour courir cours
    court couvrir croire cuisine dame dans davantage debout dedans dehors déjà demain
    demander depuis dernier derrière descendre dessous dessus deux devant devenir devoir
    dieu dire dix doigt donc donner dormir dos doute droit droite eau école écouter
    écrire effet église élève elle elles encore enfant enfants enfin ensemble ensuite
    entendre entre entrer envie environ envoyer épaule époque espérer esprit essayer
    est état été étoile être étude eux exemple façon faible faim faire fait famille
    femme fenêtre fer fête feu feuille fille fils fin finir fleur fois fond force forêt
    fort frère froid garçon garder gauche gens glace grand grande gros guerre habiter
    haut heure heures heureux hier histoire hiver homme hommes ici idée il ils jamais
    jambe jardin jaune jeune jeu jour journée jours juste là laisser lait langue large
    leur leurs lever libre lieu lire lit livre loin long longtemps lorsque lui lumière
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai
    juin juillet août septembre octobre novembre décembre madame main maintenant mais
    maison mal malade manger manière marcher mari matin mauvais médecin meilleur même
    mer mère mettre midi mieux milieu mille minute moi moins mois moment monde monsieur
    montagne monter montrer mort mot mots mourir mur nature neuf nez noir nom nombre non
    nos nouveau nouvelle nuit nul oeil œil oiseau on oncle ont or où oublier ouvrir page
    pain papa papier parce pareil parler parmi part partie partir pas passer pauvre payer
    pays peine pendant penser perdre père personne petit petite peu peur peut peuvent
    pied pierre place plaisir plein pleurer plus plusieurs plutôt poche point porte
    porter poser possible pour pourquoi pouvoir premier première prendre près présent
    presque prix prochain propre puis quand quarante quatre que quel quelle quelque
    quelques question qui quitter quoi raison regarder rendre rentrer répondre reste
    rester retour retrouver revenir rien rire robe rouge route rue sans santé savoir
    semaine sembler sentir sept seul seulement si siècle soeur sœur soir soleil sommes
    son sont sortir souvent suis suite suivre sur surtout table tant tante tard temps
    tenir terre tête toi tomber toujours tour tous tout toute toutes travail travailler
    traverser très trop trouver tu une vache venir vent ventre verre vers vert veut vieux
    vieille ville vin vingt visage vite vivre voici voilà voir voiture voix voler votre
    vouloir vous vrai vraiment vue yeux également économique société développement
    entreprise gouvernement politique public publique services informations recherche
    sécurité ministère communauté rapport projet site données aujourd pourrait serait
    avait avaient étaient était sera seront fait faites font faut doit doivent
    accès accueil achat activité actualité adresse affaires agence ailleurs aide
    ajouter alimentation ancienne annonce appartement appel article artiste association
    atelier attention auteur autorité avocat bâtiment besoins bibliothèque
    billet boutique cadre campagne capitale chaîne chanson chaussure
    chiffre choix cinéma circulation citoyen client collège commande commerce commune
    compagnie concours conditions conseil contenu contrat création culture
    culturel culturelle date débat décision demande département dépense désormais
    dessin devenu direction directeur document domaine droits durée écrit édition
    effectuer élection emploi encore énergie enquête enseignement entier environnement
    équipe espace européen européenne événement exposition fabrication facile
    fermer festival film finances fonction formation français française
    gestion grâce groupe guide habitants image immeuble important importante
    information ingénieur intérieur internet jeunesse journal langue lecture législatif
    lettre liberté ligne liste logement loi loisirs lycée magasin marché matériel
    membre mesure message métier meuble ministre mode modèle musée musique
    niveau notamment nouveaux objet offre orchestre organisation ouvert ouvrage
    paiement parc parcours participation partenaire passage patrimoine permettre
    personnel peuple photo pièce plan population poste pratique premiers présentation
    président presse principe problème produit professeur programme propriété
    protection public quartier rapide réalité région règle relation rencontre réseau
    responsable résultat réunion salle scène secteur service siège situation social
    sociale soutien spectacle sport stade structure système technique
    télévision territoire texte théâtre titre tourisme train transport travaux
    université usage valeur vente victime vidéo voyage""",
    "tl": """aklat alaala alam alikabok alis aso atay bakit balita bangka bansa baon
    barko basa bata bayani bigas bigay bigyan bihira bilang bili binili bintana bisita
    bukid bulaklak bundok buo buong daan dagat dahon dala dalaga dalhin damit dami
    dating dugo dulo duon gamot ganda gatas gising gulay gumagawa gusali halaga halimbawa
    hangin hanap hanapin hapag hayop hiling hintay hirap hiwalay ibon ilog init inom
    isda isip itaas itim iwan kabila kahoy kain kainan kalsada kama kamay kanan kanin
    kapag kapangyarihan karne kasal kasalanan kasi katulad kausap kawal kay kilos kita
    kuha kulay kumuha kung kuwarto labi lahi lakad lakas lamig langit laro lalo lapit
    laman lapis layunin ligaya likod lima lipunan loob lugar lumabas lumang
    lumipat luma luto maaga mabait mabilis madali madilim magaling magkaiba mag-aaral
    maglaro magsalita magtrabaho mahaba mahirap mainit maikli malakas malamig malapit
    malayo malinis malungkot mamamayan manood marunong masaya masarap masama matagal
    mataas matalino matamis matanda mayaman mesa mukha nagsimula nagtrabaho naman
    namatay napaka natin nagsabi nakita nilang pagbabago pagkain paggamit paglalakbay
    pagmamahal pagsasalita pakikipag palengke pamahalaan pamayanan pangarap pangulo
    panig papel paraan pasko pinto pinuno pula puno puti saging sakit salapi sandali
    sapatos sasakyan sigaw silid simula sinabi sulat sumulat susunod tagumpay tahimik
    takot tama tanghalian tanggapan tapat tawag tayo tiyak totoo tubig tuloy tumakbo
    tungkulin tuwa tuwing ugali ulan ulo umalis upuan usap wakas walang wika yaman
    kaniyang kanilang sinasabi nagbigay binigyan pinakamahusay pamumuhay edukasyon
    kalusugan kabuhayan kapaligiran karapatan katarungan kaalaman kasunduan pagpapahalaga
    pananampalataya ginagamit isinulat itinatag matatagpuan nabanggit naganap nagsilbi
    naglalaman tinawag kinikilala kilalang pinangalanan ipinanganak namatay lalawigan
    bayan barangay rehiyon hilaga timog silangan kanluran pulo isla bundok ilog dagat""",
}
