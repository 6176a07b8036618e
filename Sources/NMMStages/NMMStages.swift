import NMMCore
import NMMPhysics
