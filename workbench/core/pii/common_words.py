"""Everyday words that are also first or last names. On their own they are not flagged as a name
(too many false alarms at the start of a sentence: "Will you ...", "Grace period"); as part of
the full name they are ("Will Green")."""

from __future__ import annotations

_WORDS = """
abbey able about account admin after agent all also amber an and angel apple april art ash ashley
august autumn baker ball bank banks barber bay beach bean bear bell belle berry best bill billing
billy bird bishop black blake bliss bloom blue bond booth bow bowman brand bright brook brooks brown
bud burns bush butcher butler can candy card carpenter carter case cash chance chase cherry chief
child christian clay client cliff close cloud coach cole colt contact cook cooper coral cotton crane
cross crystal curry customer dale dart dash day dean dear delta diamond doll dove drake duke dusty
early east easter echo eden fair faith fall fawn field fields finch fisher fletcher flint ford
forest forrest fox frank free friend frost gale garden gay gem gene genesis gentle gift glad glen
glory gold golden good grace grant gray green grey guest gunner guy hail hall hand happy hardy
harmony hart hawk hay hazel heart heath hello help herb hill holly honey hood hope house hunt hunter
info iris ivory ivy jack jade jay jazz jewel jolly journey joy judge june justice kay key kid king
kit knight lake lamb lane lark laurel lawn lee legend liberty light lily link little long lord love
lucky madam major manager march mark marsh marshal mason master may meadow melody member merry miles
mill miller mint mister misty moon moore morgan moss mrs ms music new newman noble north nova oak
ocean office olive owner page paige palmer paris park parker pat patience peace pearl penny pepper
person piper plain pool pope porter post potter power powers price prince pure queen rain rainbow
raven ray reed regards rich rider ring river robin rock rocky rose rosy rowan ruby rush rust sage
sale sales salt sandy savage sea season service shade sharp shepherd shine short silver sir sky
slater smart smith snow sol son sparrow spring staff star steel sterling stern stone storm story
strong summer sunny sunshine support swan sweet tailor taylor team temple test thank thanks tiger
trinity true tucker turner unity unknown user vale valentine violet wade walker ward warren waters
way weaver webb west white wild will willow win winter wise wolf wood woods wren young
"""
COMMON_WORDS = frozenset(_WORDS.split())
