"""Hand-written word lists: language names, greetings and very common words per language.

Written for this project from general knowledge of each language (not taken from any corpus).
Accent-stripped spellings are derived, because residents often type without accents.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from bot.nlp.wordlists import MORE_WORDS

# Whole messages that name a language or greet in it, romanised forms included: a resident who
# writes just "español" or "annyeong" tells us the language even when the script does not.
_PHRASES: dict[str, str] = {
    "en": "english | in english | hello | hi | hey | good morning | good afternoon | thank you | "
    "thanks | thank u | thx | good night | how are you | please | yes please",
    "es": "español | espanol | castellano | en español | spanish | hola | gracias | "
    "muchas gracias | buenos días | buenas tardes | buenas noches | por favor | adiós | "
    "qué tal | hablo español | ayuda | bueno | de nada",
    "zh": "中文 | 汉语 | 漢語 | 普通话 | 國語 | 国语 | 华语 | 粤语 | 廣東話 | chinese | mandarin | "
    "cantonese | zhongwen | putonghua | ni hao | nihao | xie xie | xiexie | 你好 | 谢谢 | 謝謝",
    "vi": "tiếng việt | tieng viet | vietnamese | việt | xin chào | chào | cảm ơn | cám ơn | "
    "cam on | xin chao | vâng | dạ | chào anh | chào chị | không | khong",
    "tl": "tagalog | filipino | pilipino | wikang tagalog | salamat | maraming salamat | kumusta | "
    "kamusta | magandang umaga | magandang hapon | magandang gabi | oo | opo | hindi po | "
    "paalam | tulong | salamat po",
    "ko": "한국어 | 한국말 | 조선말 | korean | hangugeo | annyeong | annyeonghaseyo | "
    "annyeong haseyo | kamsahamnida | gamsahamnida | 안녕 | 안녕하세요 | 감사합니다",
    "ru": "русский | по-русски | russian | russkiy | privet | spasibo | zdravstvuyte | "
    "dobry den | привет | спасибо | здравствуйте | да | нет",
    "ar": "العربية | عربي | عربى | arabic | arabi | marhaba | marhaban | shukran | salam | "
    "as salamu alaykum | assalamu alaikum | salam alaikum | ahlan | مرحبا | شكرا | السلام عليكم",
    "ht": "kreyòl | kreyol | kreyòl ayisyen | kreyol ayisyen | haitian | haitian creole | creole | "
    "bonjou | bonswa | mèsi | mesi | mèsi anpil | mesi anpil | kijan ou ye | sak pase | "
    "n ap boule | wi | non mèsi | souple | tanpri | mwen pa konprann",
    "fr": "français | francais | french | en français | bonjour | bonsoir | merci | "
    "merci beaucoup | salut | s'il vous plaît | s'il vous plait | oui | au revoir | "
    "je ne comprends pas",
}

# Frequent words of each language: function words, everyday verbs and nouns. A word may be in
# several lists; the scorer then spreads its weight.
_WORDS: dict[str, str] = {
    "en": """the of and to in is was for that with as on by at from his her they this be are have
    has had not but what all were when we there can an your which their said if do will each about
    how up out them then she many some so these would other into more him see time could no make
    than first been who its now people my made over did down only way find use may water long
    little very after words called just where most know get through back much before go good new
    write our me man too any day same right look think also around another came come work three
    word must because does part even place well such here take why things help put years different
    away again off went old number great tell men say small every found still between name should
    home big give air line set own under read last never us left end along while might next sound
    below saw something thought both few those always looked show large often together asked house
    world going want school important until form food keep children feet land side without boy once
    animals life enough took sometimes four head above kind began almost live page got earth need
    far hand high year mother light parts country father let night following picture being study
    second eyes soon times story boys since white days paper hard near sentence better best across
    during
    today others however sure means knew its try told young miles sun ways thing whole hear example
    heard several change answer room against top turned learn point city play toward five using
    himself usually money seen car morning given family already please thanks thank hello office
    phone street building appointment hours week month tomorrow yesterday tonight question trash
    pickup water bill rent housing permit license parking ticket police emergency doctor hospital
    clinic school bus train broken light noise complaint report request service services available
    community public information contact address number email form apply application yes okay
    would should could which where while whose there their they're weather business government
    able about above accept according account across act action activity actually add address
    admit adult affect afraid again age agency agent agree agreement ahead allow almost alone
    already although among amount analysis animal annual answer anyone anything appear apply
    approach area argue arm army arrive article artist assume attack attention audience author
    authority avoid baby bad bag ball bank bar base beat beautiful become bed behavior behind
    believe benefit beyond billion black blood blue board body book born both box break bring
    brother budget build building business buy call camera campaign cancer candidate capital card
    care career carry case catch cause cell center central century certain certainly chair
    challenge chance character charge check child choice choose church citizen civil claim class
    clear clearly close coach cold collection college color commercial common company compare
    computer concern condition conference congress consider consumer contain continue control
    cost couple course court cover create culture cup current customer cut dark data daughter dead
    deal death debate decade decide decision deep defense degree democrat describe design despite
    detail determine develop development difference difficult dinner direction director discover
    discuss discussion disease doctor dog door dream drive drop drug early east easy eat economic
    economy edge education effect effort eight either election else employee energy enjoy enter
    entire environment environmental especially establish evening event ever everybody everyone
    everything evidence exactly examine exist expect experience expert explain face fact factor
    fail fall fast fear federal feel feeling field fight figure fill film final finally financial
    fine finger finish fire firm fish floor fly focus follow foot force foreign forget former
    forward free friend front full fund future game garden gas general generation girl glass goal
    green ground group grow growth guess gun guy hair half hang happen happy have health heart heat
    heavy herself history hit hold hope hospital hot hotel hour huge human hundred husband idea
    identify image imagine impact improve include including increase indeed indicate individual
    industry institution interest interesting international interview investment involve issue
    item itself job join just key kid kill kitchen knowledge language large late later laugh law
    lawyer lay lead leader learn least leave legal less letter level lie likely limit list listen
    local lose loss lot love low machine magazine main maintain major majority manage management
    manager market marriage material matter maybe mean measure media medical meet meeting member
    memory mention message method middle military million mind minute miss mission model modern
    moment movement movie music myself nation national natural nature necessary network news
    newspaper nice none nor north note nothing notice occur offer officer official oil ok open
    operation opportunity option order organization outside owner pain painting parent partner
    party pass past patient pattern pay peace per perform performance perhaps period person
    personal physical pick piece plan plant player policy political politics poor popular
    population position positive possible power practice prepare present president pressure
    pretty prevent price private probably problem process produce product production professional
    professor program project property protect prove provide pull purpose push quality quickly
    quite race radio raise range rate rather reach ready real reality realize really reason
    receive recent recently recognize record red reduce reflect region relate relationship
    religious remain remember remove represent republican require research resource respond
    response responsibility rest result return reveal rich rise risk road rock role rule run safe
    scene science scientist score sea season seat section security seek seem sell send senior
    sense series serious serve set seven sex shake share shoot short shot shoulder significant
    similar simple simply sing single sister sit site situation size skill skin social society
    soldier somebody someone source south southern space speak special specific speech spend
    sport spring staff stage stand standard star start state statement station stay step stock
    stop store strategy strong structure student stuff style subject success successful suddenly
    suffer suggest summer support surface system table talk task tax teach teacher team
    technology television ten tend term test than themselves theory therefore third though
    thousand threat throughout throw thus total tough toward town trade traditional training
    travel treat treatment tree trial trip trouble true truth turn type understand unit until
    upon value various victim view violence visit voice vote wait walk wall war watch wear west
    western whatever wide wife win wind window wish within woman wonder worker worry wrong yard
    yeah yet yourself""",
    "es": """de la que el en y a los del se las por un para con no una su al lo como más pero sus le
    ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo
    nos durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo
    otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas
    algo nosotros mi mis tú te ti tu tus ellas nosotras vosotros os mío mía tuyo suyo nuestro
    nuestra vuestro esos esas estoy estás está estamos están esté estaba estaban fue fueron era eran
    soy eres es somos son sea ser he has ha hemos han había tengo tienes tiene tenemos tienen tenía
    hacer hace hizo puede pueden poder quiero quiere necesito necesita dónde cómo cuándo cuánto
    porqué gracias hola buenos buenas días tardes noches señor señora ayuda agua casa calle ciudad
    trabajo dinero año años día hoy mañana ayer ahora siempre nunca después entonces también
    tampoco aquí allí bien mal mejor peor grande pequeño nuevo nueva viejo bueno buena malo mala
    gente persona personas niños familia hijo hija madre padre hermano escuela hospital médico
    policía pago renta cita problema pregunta información servicio servicios gobierno oficina
    teléfono número correo dirección favor disculpe perdón quisiera podría tenemos nuestros
    luz basura ruido vecino vecinos barrio semana mes hora horas cerca lejos todavía luego según
    cada mismo misma general parte lugar forma caso manera mundo vida país historia estado grupo
    sistema gobierno momento además aunque tiempo través primera primero segunda nacional social
    trabajar hablar llamar pagar vivir saber decir dijo dice
    acuerdo agua alguien alto amigo amigos aquel aquella arte bajo barrio cabeza cambio campo
    capital cargo carta centro cierto ciudad claro comunidad conocer contra cosas creo cuenta
    cuerpo cultura debe deben decir dentro derecho derechos desarrollo diferentes difícil
    dinero dios empresa empresas encontrar entonces equipo escuela español europa existe fin
    forma frente fuera fuerza futuro gran grandes gusta guerra haber había hablar hacia hay hecho
    hijos hombre hombres idea iglesia importante información interior junto largo libro libros
    llegar llevar lugar madre mayor mayoría medio mejor menos mientras millones ministro minutos
    mujer mujeres música nada necesario ningún ninguna noche nombre nos nuevo nuevos número obra
    otros padre países palabra paso política políticas poder posible precio presidente primer
    principal proceso producción programa propio proyecto pueblo puede pues punto quiere
    realidad región relación respecto resultado salud sector seguridad seguir semana sentido
    sería servicio siempre siglo sigue sino situación sociedad solo sólo también tanto tarde
    tema temas tener tenido tierra tipo toda todas total trabajo tras través unidos usted
    valor varios veces ver verdad vez viaje vida voz zona parece pueden hemos estaba hizo hacen
    historia investigación universidad educación calidad actividades público pública""",
    "fr": """le la les de des du un une et est en que qui dans pour pas sur au aux ce cette ces il
    elle ils elles nous vous je tu on ne se sa son ses leur leurs mais ou où donc car avec par plus
    tout tous toute toutes très bien être avoir fait faire comme sont était ont avait suis es sommes
    êtes été peut peuvent veux voulez voudrais dois doit aussi encore alors après avant depuis
    pendant sans sous chez entre jamais toujours rien quelque chose quoi comment pourquoi quand
    combien parce merci bonjour bonsoir salut madame monsieur oui non avez avons ai as eu moi toi
    lui eux notre votre nos vos mon ma mes ton ta tes même autre autres beaucoup peu trop moins
    déjà aujourd'hui demain hier maintenant ici là-bas maison rue ville travail argent année ans
    jour jours semaine mois heure heures école hôpital médecin police loyer rendez-vous problème
    question service services mairie bureau téléphone numéro adresse courrier aide besoin
    voudrais pouvez pourriez s'il plaît quartier voisin bruit poubelles lumière eau facture
    enfants famille gens personne personnes grand grande petit petite nouveau nouvelle vieux
    premier première dernier dernière depuis selon ainsi cependant pourtant lorsque chaque
    plusieurs leur celui celle ceux celles dont lequel laquelle être avoir aller venir voir savoir
    pouvoir vouloir falloir prendre donner trouver parler mettre passer rester devenir
    accord afin ailleurs ancien année années appel après argent article assez aucun aucune
    autour avant avenir besoin bien bientôt bon bonne cas cause certain certains chacun
    changement chef choix ciel ville classe client cœur comment commune compte conseil contre
    corps côté cours début dehors dernier devant devient dire direction donne droit effet
    également elles enfant ensemble ensuite entreprise entreprises environ époque espace
    esprit état états étude exemple face faut femme femmes fils fin fois fond force forme
    france français française gouvernement guerre histoire homme hommes idée jeune jeunes
    jusqu'à jusque lieu livre loin longtemps lors main mal manière marché matin meilleur
    membres moment monde mort mot mots niveau nom nombre nouveaux nuit œuvre ouvert ouvrage
    page pays pendant père petits peut-être place plusieurs point politique porte possible
    pour pouvoir premier prix produits projet propre public puis qualité quelques raison
    recherche région reste retour rien route saison santé sens seul seule seulement siècle
    société soir sorte souvent suite sujet surtout système temps terre tête titre tour
    travail trois type université vers vie visite voici voix vraiment yeux depuis dont
    faisait mise celui leurs notre nôtre aussi avez avoir""",
    "tl": """ang ng mga sa na at ay si ni kay sina nina para pero kung dahil hindi oo opo po ko mo
    niya namin natin nila ako ikaw siya kami tayo kayo sila ito iyan iyon dito diyan doon ano sino
    saan kailan paano bakit ilan alin magkano may mayroon wala walang lang lamang din rin naman
    pa na nga ba ho talaga sobra marami kaunti lahat bawat iba ibang isa dalawa tatlo apat lima
    anim pito walo siyam sampu salamat kumusta kamusta magandang maganda umaga hapon gabi tanghali
    araw buwan taon ngayon bukas kahapon mamaya kanina lagi palagi minsan bahay kalye lungsod
    bayan trabaho pera tubig kuryente ilaw basura ingay kapitbahay paaralan ospital doktor pulis
    upa bayad tulong tulungan kailangan gusto ayaw puwede pwede maaari makakatulong ninyo inyo
    aming ating kanila kanya akin iyo sakin sayo ka kasi tapos saka habang hanggang mula tungkol
    ayon ganito ganyan ganoon naging nang noon pagkatapos bago kapag kapwa kanilang kaniyang
    kaniya siyang silang kanyang nasa nang mas pinaka lalo tao taong bata mga anak nanay tatay
    kapatid pamilya tanong sagot problema serbisyo opisina telepono numero salita wika tagalog
    pilipinas pilipino gumawa ginawa ginagawa sinabi sabi alam tingnan punta pumunta umuwi kumain
    bumili magbayad makipag nagbabayad naman ngunit subalit samantala bilang pamamagitan
    ama anong anumang atin bagay bahagi bansa bayan bilang buhay dati dapat daw gabi gamit
    ganitong gawa gawin ginamit gitna halos hanggang hari huling ibig ilang ilalim inyong isang
    itong iyong kabilang kahit kaibigan kalahati kanilang kapag karamihan kasama kaso katawan
    kauna-unahang kilala kanyang labas laban lalaki lamang lupa maaaring mabuti madalas mahal
    mahalaga maliit malaki mananatili maraming marami matapos may-ari mayroong mga minsan
    mundo naging nagkaroon nakatira nilang ninyo nito noong nuong ngayong pagitan pagkakaroon
    pamahalaan pangalan panahon pangulo para paraan pareho pati pinakamalaking puso rito
    sarili siyudad sumusunod tatlong tinatawag unang wika ginagamit kasaysayan lalawigan
    bansang lungsod simbahan babae lalake bata kabataan estado pamilya tahanan bagong matanda""",
    "ht": """mwen ou li nou yo m w l n y se pa nan ak a la yon yo sou pou ki sa te ap pral va ta
    kap gen genyen fè di ale vini konnen wè bay pran vle kapab ka dwe bezwen renmen rele manje bwè
    dòmi travay achte peye rete tounen mache pale konprann tande chache jwenn jodi demen yè kounye
    kounyeya kounye a toujou jamè anpil ti gwo bon move bèl nouvo vye tout chak kèk lòt menm ankò
    deja tou kote kilè kijan kouman poukisa konbyen kiyès kisa bonjou bonswa mèsi mesi souple
    tanpri wi non dakò oke lakay kay lari vil lavil lekòl lopital doktè polis lajan dlo limyè
    kouran fatra bri vwazen fanmi pitit manman papa frè sè moun timoun granmoun gason fanm mari
    madanm zanmi travay biwo telefòn nimewo adrès lèt kesyon pwoblèm sèvis èd ede asistans lwaye
    randevou semèn mwa ane jou lè maten aprèmidi aswè lannwit paske men epi oswa si lè konsa
    sèlman byen mal pi plis mwens anba anwo devan dèyè andedan deyò pandan apre avan depi jiska
    ayiti ayisyen kreyòl pwen bagay tan lavi peyi lanmè legliz mache machin bis""",
    "vi": """và của là có cho không người những được một các trong với này đã để khi đến từ như
    tôi bạn anh chị em ông bà chúng ta họ nó mình cũng thì mà nhưng vì nên nếu hay hoặc rất lắm
    nhiều ít hơn nhất đang sẽ vẫn còn chưa đều lại ra vào lên xuống đi về làm nói biết muốn cần
    thấy xem nghe hỏi trả lời giúp đỡ gọi gặp ở đâu gì sao nào bao giờ mấy tại vậy đây đó kia
    xin chào cảm ơn cám vâng dạ không phải được rồi nhé nha ạ nhà đường phố thành thành phố
    việc làm tiền nước điện rác tiếng ồn hàng xóm trường bệnh viện bác sĩ cảnh sát thuê
    hẹn vấn đề câu hỏi dịch vụ văn phòng điện thoại số địa chỉ thư ngày tháng năm tuần giờ
    sáng chiều tối hôm nay mai qua bây giờ luôn con cái gia đình mẹ cha bố trẻ nam nữ chồng vợ
    tốt xấu lớn nhỏ mới cũ đẹp trên dưới trước sau giữa ngoài cùng theo bằng về việt nam tiếng
    được người việt học sinh giáo viên chính phủ công ty""",
}

# Tokens that carry no language of their own in a message: keywords, numbers spelled the
# international way, brands. They never decide a language; the conversation's language stays.
_NEUTRAL = """ok okay oki okey k kk yes no si stop start help info taxi bus hotel sms mms wifi
internet email covid app web url www com org gov pm am lol haha hahaha jaja jajaja hehe xd bye ciao
tv gps pdf id usa"""
NEUTRAL_WORDS = frozenset(_NEUTRAL.split())


def strip_accents(text: str) -> str:
    """Drop combining marks after NFD (Vietnamese đ becomes d), then recompose."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """The form used for look-ups: lower case, single spaces, apostrophes unified."""
    text = text.replace("’", "'").replace("`", "'").casefold()
    return " ".join(text.split())


def _entries(raw: str, separator: str | None) -> list[str]:
    parts = raw.split(separator) if separator else raw.split()
    return [fold(part) for part in parts if part.strip()]


@cache
def phrases() -> dict[str, frozenset[str]]:
    """Whole-message phrases per language, each also as an accent-stripped variant."""
    table: dict[str, frozenset[str]] = {}
    for language, raw in _PHRASES.items():
        entries = _entries(raw, "|")
        table[language] = frozenset(entries) | frozenset(strip_accents(e) for e in entries)
    return table


@cache
def words() -> dict[str, frozenset[str]]:
    """Common words per language, exactly as written."""
    table = {language: frozenset(_entries(raw, None)) for language, raw in _WORDS.items()}
    for language, raw in MORE_WORDS.items():
        table[language] = table.get(language, frozenset()) | frozenset(_entries(raw, None))
    return table


@cache
def stripped_words() -> dict[str, frozenset[str]]:
    """Accent-stripped spellings that differ from the written ones (weaker evidence)."""
    table: dict[str, frozenset[str]] = {}
    for language, entries in words().items():
        table[language] = frozenset(strip_accents(e) for e in entries) - entries
    return table


# Regular endings a listed word takes (plural, gender, tense, adverb, the Tagalog linker -ng),
# longest first. A word is only reduced when at least three letters stay.
_INFLECTIONS: dict[str, tuple[str, ...]] = {
    "en": ("ings", "ing", "ers", "ied", "ies", "ed", "er", "es", "ly", "s", "d"),
    "es": ("mente", "es", "as", "os", "s", "a"),
    "fr": ("ment", "es", "s", "x", "e"),
    "tl": ("ng", "g"),
}


# Tagalog builds words from a root with prefixes and suffixes (mag-aral, kain-an, ka-buhay-an).
_TL_PREFIXES = (
    "pinaka",
    "makapag",
    "nakapag",
    "nakaka",
    "ipinag",
    "pinag",
    "ipag",
    "maka",
    "naka",
    "mag",
    "nag",
    "pag",
    "ipa",
    "ma",
    "na",
    "ka",
    "pa",
    "i",
)
_TL_SUFFIXES = ("han", "hin", "an", "in", "ng")


def _tagalog_root_known(word: str, known: frozenset[str]) -> bool:
    for prefix in ("", *_TL_PREFIXES):
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :].lstrip("-")
        for suffix in ("", *_TL_SUFFIXES):
            if (prefix or suffix) and rest.endswith(suffix):
                root = rest[: len(rest) - len(suffix)]
                if len(root) >= 3 and root in known:
                    return True
    return False


def inflected_from(word: str, known: frozenset[str], language: str) -> bool:
    """True when ``word`` is a known word of ``language`` plus one regular ending."""
    if language == "tl" and _tagalog_root_known(word, known):
        return True
    for ending in _INFLECTIONS.get(language, ()):
        if len(word) - len(ending) < 3 or not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        if stem in known:
            return True
        if (
            language == "en"
            and ending in ("ing", "ed", "er", "ers", "ings")
            and stem + "e" in known
        ):
            return True  # "using", "used", "user" from "use"
        if language == "en" and ending in ("ied", "ies") and stem + "y" in known:
            return True  # "studies", "studied" from "study"
        if language == "es" and ending in ("a", "as") and stem + "o" in known:
            return True  # "nueva", "nuevas" from "nuevo"
    return False
